"""The `wegwijzer` command."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from wegwijzer.config import CATALOGUE_DIR, REPO_ROOT, TRANSLATIONS_DIR, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wegwijzer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="set up what is missing, then run everything")
    serve.add_argument("--no-train", action="store_true", help="fail instead of training")
    commands.add_parser("setup", help="database, catalogue and search index; no training")
    commands.add_parser("kiosk", help="run only the kiosk (serve starts it)")
    commands.add_parser("db-upgrade", help="apply the database migrations")
    admin = commands.add_parser("create-admin", help="create an administrator of the staff "
                                "console (password from WEGWIJZER_ADMIN_PASSWORD or asked)")
    admin.add_argument("username")
    admin.add_argument("--full-name", default="")

    catalogue = commands.add_parser("catalogue", help="the service catalogue")
    catalogue_commands = catalogue.add_subparsers(dest="action", required=True)
    load = catalogue_commands.add_parser("load", help="load the catalogue files (idempotent)")
    load.add_argument("--folder", default=str(CATALOGUE_DIR))
    export = catalogue_commands.add_parser(
        "export", help="write the catalogue as Open Referral HSDS 3.0 JSON, one file a language")
    export.add_argument("--format", choices=["hsds"], required=True)
    export.add_argument("--output", help="folder for the files (default: DATA/hsds)")
    import_ = catalogue_commands.add_parser(
        "import", help="read HSDS files made by export: all of them, or nothing if any is wrong")
    import_.add_argument("files", nargs="+")

    commands.add_parser("index", help="rebuild the search index if out of date")

    train = commands.add_parser("train", help="train the assistant if its data changed")
    train.add_argument("--force", action="store_true")

    translations = commands.add_parser("translations", help="the gettext catalogues")
    translations.add_argument("action", choices=["extract", "update", "compile"])

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    handler = {
        "serve": cmd_serve, "setup": cmd_setup, "kiosk": cmd_kiosk,
        "db-upgrade": cmd_db_upgrade, "create-admin": cmd_create_admin,
        "catalogue": cmd_catalogue, "index": cmd_index,
        "train": cmd_train, "translations": cmd_translations,
    }[args.command]
    return handler(settings, args) or 0


def cmd_db_upgrade(settings: Settings, _args) -> None:
    from wegwijzer.database import upgrade

    upgrade(settings.database_url)


def cmd_create_admin(settings: Settings, args) -> int:
    from kiosk import accounts
    from knowledge import Catalogue

    cmd_db_upgrade(settings, None)
    password = os.environ.get("WEGWIJZER_ADMIN_PASSWORD") or _ask_password()
    if password is None:
        print("wegwijzer: the two passwords differ; nothing created.", file=sys.stderr)
        return 1
    try:
        with Catalogue.from_settings(settings).sessions() as session:
            accounts.create_staff(session, args.username, password, role="admin",
                                  full_name=args.full_name)
            session.commit()
    except accounts.AccountError as error:
        print(f"wegwijzer: cannot create the administrator: {error}", file=sys.stderr)
        return 1
    print(f"Administrator {args.username} created.")
    return 0


def _ask_password() -> str | None:
    """The password typed twice (None when the two differ)."""
    from getpass import getpass

    password = getpass("Password: ")
    return password if getpass("Password again: ") == password else None


def cmd_catalogue(settings: Settings, args) -> int | None:
    from pathlib import Path

    from knowledge import Catalogue
    from knowledge.content import load_catalogue

    # The schema first; its migrations also register every table, the staff table that
    # catalogue versions refer to included.
    cmd_db_upgrade(settings, None)
    if args.action in ("export", "import"):
        return cmd_catalogue_hsds(settings, args)
    catalogue = Catalogue.from_settings(settings)
    with catalogue.sessions() as session:
        print(f"Catalogue loaded: {load_catalogue(session, Path(args.folder))}.")
    if catalogue.refresh_index():
        print("Search index rebuilt.")


def cmd_catalogue_hsds(settings: Settings, args) -> int:
    from pathlib import Path

    from knowledge import Catalogue, hsds

    catalogue = Catalogue.from_settings(settings)
    validators = hsds.schema_validators()
    if validators is None:
        print(f"Note: no HSDS schemas in {hsds.SCHEMA_DIR}; checking Wegwijzer's own rules only.")
    try:
        with catalogue.sessions() as session:
            if args.action == "export":
                folder = Path(args.output) if args.output else settings.data_dir / "hsds"
                paths = hsds.export_files(session, folder, validators)
                print(f"Wrote {len(paths)} HSDS files to {folder}.")
                return 0
            report = hsds.import_files(session, [Path(name) for name in args.files], validators)
    except hsds.HsdsError as error:
        print(f"wegwijzer: nothing {args.action}ed; {len(error.problems)} problem(s):",
              *error.problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"Catalogue imported: {report}.")
    if catalogue.refresh_index():
        print("Search index rebuilt.")
    return 0


def cmd_index(settings: Settings, _args) -> None:
    from knowledge import Catalogue

    rebuilt = Catalogue.from_settings(settings).refresh_index()
    print("Search index rebuilt." if rebuilt else "Search index up to date.")


def cmd_setup(settings: Settings, _args) -> None:
    """Everything but training: the steps are no-ops when already done."""
    from knowledge import Catalogue
    from knowledge.content import load_catalogue

    cmd_db_upgrade(settings, None)
    catalogue = Catalogue.from_settings(settings)
    if not catalogue.index_documents():
        with catalogue.sessions() as session:
            print(f"Catalogue loaded: {load_catalogue(session, CATALOGUE_DIR)}.")
    if catalogue.refresh_index():
        print("Search index rebuilt.")


def cmd_train(settings: Settings, args) -> None:
    from wegwijzer.training import train

    if not train(settings, force=args.force):
        print("The assistant's model is up to date.")


def cmd_serve(settings: Settings, args) -> int:
    from wegwijzer import serve
    from wegwijzer.training import model_is_current, train

    cmd_setup(settings, None)
    if args.no_train and not model_is_current(settings):
        print("wegwijzer: no current model; run `wegwijzer train`.", file=sys.stderr)
        return 1
    train(settings)
    return serve.run(settings)


def cmd_kiosk(settings: Settings, _args) -> None:
    from kiosk.app import create_app

    app = create_app(settings)
    app.run(host=settings.kiosk_host, port=settings.kiosk_port, access_log=False, motd=False)


def cmd_translations(_settings: Settings, args) -> int:
    """Wraps pybabel with this project's paths."""
    pot = TRANSLATIONS_DIR / "messages.pot"
    command = {
        "extract": ["extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
                    "--sort-output", "-o", str(pot), "."],
        "update": ["update", "-i", str(pot), "-d", str(TRANSLATIONS_DIR), "--no-fuzzy-matching",
                   "--ignore-obsolete"],
        "compile": ["compile", "-d", str(TRANSLATIONS_DIR), "--statistics"],
    }[args.action]
    return subprocess.run([sys.executable, "-m", "babel.messages.frontend", *command],
                          cwd=REPO_ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
