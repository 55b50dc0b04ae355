"""Fail on any untranslated or fuzzy message, on a catalogue that misses strings from the code, on
stale compiled catalogues (.mo that do not match their .po), and on one message translated differently in
two of our catalogues. Also refuses uppercasing in templates/CSS.

Django merges the root catalogue and the apps' catalogues into one per language, so a (msgctxt, msgid) pair
translated two ways shows only one of them everywhere: words with several meanings need a context instead.

Run by CI (`.ci/run`) and by `make check-translations`.
"""

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SKIP_DIRS = {".venv", "var", "node_modules", ".git"}


def catalogues() -> list[Path]:
    return sorted(
        p for p in ROOT.rglob("locale/*/LC_MESSAGES/*.po") if not SKIP_DIRS & set(p.relative_to(ROOT).parts)
    )


def read_catalogue(po: Path) -> dict[tuple[str | None, str], str]:
    """(msgctxt, msgid) -> msgstr of one .po file (plural forms joined by " | "); no header, no obsolete entries."""
    entries: dict[tuple[str | None, str], str] = {}
    fields: dict[str, str] = {}
    current = ""

    def flush() -> None:
        if fields.get("msgid"):
            forms = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[(fields.get("msgctxt"), fields["msgid"])] = " | ".join(forms)
        fields.clear()

    for line in po.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if "msgid" in fields and any(k.startswith("msgstr") for k in fields):
                flush()
            continue
        if line.startswith('"'):
            fields[current] += ast.literal_eval(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
            flush()
        current = keyword
        fields[current] = ast.literal_eval(value)
    flush()
    return entries


def collisions(pos: list[Path]) -> list[str]:
    """One line per (language, msgctxt, msgid) that two of the catalogues translate differently."""
    seen: dict[tuple[str, str | None, str], dict[str, str]] = {}
    for po in pos:
        language = po.parent.parent.name
        name = str(po.relative_to(ROOT)) if po.is_relative_to(ROOT) else str(po)
        for (context, msgid), msgstr in read_catalogue(po).items():
            if msgstr:  # untranslated entries are reported on their own
                seen.setdefault((language, context, msgid), {})[name] = msgstr
    problems = []
    for (language, context, msgid), translations in sorted(seen.items(), key=str):
        if len(set(translations.values())) > 1:
            where = "; ".join(f"{name}: {msgstr!r}" for name, msgstr in translations.items())
            label = f"msgid {msgid!r}" + (f" msgctxt {context!r}" if context is not None else " (no msgctxt)")
            problems.append(
                f"{language}: {label} is translated differently in two catalogues ({where}); "
                "use one translation, or give each meaning a context (pgettext)"
            )
    return problems


def main() -> int:
    problems: list[str] = []
    for tool in ("msgfmt", "msgattrib", "xgettext"):
        if shutil.which(tool) is None:
            print(f"check_translations: {tool} (GNU gettext) is not installed", file=sys.stderr)
            return 2
    # 1. Bring every catalogue up to date with the code (new strings appear untranslated).
    subprocess.run(
        [
            PY,
            "manage.py",
            "makemessages",
            "-l",
            "ka",
            "-l",
            "en",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=node_modules/*",
            "-v",
            "0",
        ],
        cwd=ROOT,
        check=True,
    )
    for po in catalogues():
        rel = po.relative_to(ROOT)
        for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
            out = subprocess.run(
                ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
            ).stdout
            ids = [line for line in out.splitlines() if line.startswith("msgid ")]
            # msgattrib prints the header entry too whenever it prints anything.
            real = [i for i in ids if i != 'msgid ""']
            if real:
                problems.append(f"{rel}: {len(real)} {label}: " + "; ".join(i[6:] for i in real[:5]))
        # 2. The committed .mo must be exactly what the .po compiles to.
        mo = po.with_suffix(".mo")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh.mo"
            subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
            if not mo.exists():
                problems.append(f"{rel}: compiled catalogue {mo.name} is missing (run `make messages`)")
            elif mo.read_bytes() != fresh.read_bytes():
                problems.append(f"{rel}: compiled catalogue {mo.name} is stale (run `make messages`)")
    # 3. One message, one translation across our catalogues.
    problems += collisions(catalogues())
    # 4. Never uppercase Georgian text.
    for path in (
        list(ROOT.glob("**/templates/**/*.html"))
        + list(ROOT.glob("static/**/*.css"))
        + list(ROOT.glob("*/static/**/*.css"))
    ):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8")
        if "|upper" in text or "text-transform: uppercase" in text or "text-transform:uppercase" in text:
            problems.append(
                f"{path.relative_to(ROOT)}: uppercases text (Georgian has no capitals in most fonts)"
            )
    if problems:
        print("Translation check failed:")
        for problem in problems:
            print("  -", problem)
        return 1
    print(f"Translation check passed: {len(catalogues())} catalogues complete and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
