"""The command line the handmade conformance generators share (r3_extra.py, r4_extra.py).

    main(prefix, default_out, all_cases, write_case)

parses `--only SUBSTRINGS --list --out DIR`, writes every selected case with
`write_case(case, out)` (which returns None, or why LiteRT refused the combination), and, on a
full run, drops `<prefix>*` folders the script no longer generates and records the refused
combinations in `<prefix>skipped.json` next to the cases.
"""
import argparse
import json
import os
import shutil


def main(prefix, default_out, all_cases, write_case):
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--out", default=default_out, help="conformance folder to write into")
    args = ap.parse_args()
    cases = [c for c in all_cases() if not args.only or any(s in c.name for s in args.only.split(","))]
    if args.list:
        for c in cases:
            print(c.name)
        return
    skipped = {}
    made = 0
    for c in cases:
        why = write_case(c, args.out)
        if why:
            skipped[c.name] = why
            shutil.rmtree(os.path.join(args.out, c.name), ignore_errors=True)
        else:
            made += 1
    print(f"{made} cases written, {len(skipped)} skipped")
    if not args.only:
        names = {c.name for c in cases if c.name not in skipped}
        for n in os.listdir(args.out):
            if n.startswith(prefix) and n not in names and os.path.isdir(os.path.join(args.out, n)):
                shutil.rmtree(os.path.join(args.out, n))
        with open(os.path.join(args.out, prefix + "skipped.json"), "w") as f:
            json.dump(dict(sorted(skipped.items())), f, indent=1)
            f.write("\n")
    for k, v in skipped.items():
        print(f"  skipped {k}: {v}")
