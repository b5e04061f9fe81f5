/**
 * URN globs of exemptions, matched by picomatch. A URN is not a path: `*` matches any run of
 * characters, `::` and `/` included (bash mode: a single star is a globstar; dot: a name may start
 * with "."), `?` one character other than `/`. A glob is never negated (a leading `!` is literal),
 * and extglobs and braces are off, so `(`, `)`, `+`, `@`, `{` and `}` in a URN match themselves.
 */
import picomatch from "picomatch";

const OPTIONS: picomatch.PicomatchOptions = { bash: true, dot: true, nonegate: true, noextglob: true, nobrace: true, windows: false };

const compiled = new Map<string, (urn: string) => boolean>();

export function urnGlobMatches(glob: string, urn: string): boolean {
    let match = compiled.get(glob);
    if (!match) {
        match = picomatch(glob, OPTIONS);
        compiled.set(glob, match);
    }
    return match(urn);
}
