// The Kubernetes version a container image states in its tag (registry.k8s.io/kube-apiserver:v1.31.0 → 31).
// Read by position, not by a regular expression, so a hostile image string costs its length once.

/** The minor version of a `v1.N[.P][-suffix]` tag, if the image has one. */
export function minorFromImage(image: unknown): number | undefined {
    if (typeof image !== "string") return undefined;
    const at = image.indexOf("@");
    const ref = at >= 0 ? image.slice(0, at) : image;
    const last = ref.slice(ref.lastIndexOf("/") + 1);
    const colon = last.lastIndexOf(":");
    if (colon < 0) return undefined;
    let tag = last.slice(colon + 1);
    if (tag.startsWith("v")) tag = tag.slice(1);
    if (!tag.startsWith("1.")) return undefined;
    let i = 2;
    while (i < tag.length && i < 4 && tag[i] >= "0" && tag[i] <= "9") i++;
    if (i === 2) return undefined;
    const next = tag[i];
    if (next !== undefined && next !== "." && next !== "-" && next !== "+") return undefined;
    return Number(tag.slice(2, i));
}
