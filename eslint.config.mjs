// Lint: ESLint's recommended rules and typescript-eslint's, on the TypeScript sources (flat config).
// Formatting is prettier's job (.prettierrc.json, 120 columns), so no stylistic rules here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/", "dist/", "node_modules/", ".bench/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { ecmaVersion: 2022, sourceType: "module" },
        rules: {
            // Unused names are compile errors already (tsconfig noUnusedLocals); `_x` marks an intentionally unused one.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
            // A control character in a regular expression is how XML-invalid characters are removed.
            "no-control-regex": "off",
        },
    },
    {
        files: ["**/*.mjs", "**/*.js"],
        languageOptions: {
            sourceType: "module",
            globals: { process: "readonly", require: "readonly", module: "writable" },
        },
    },
);
