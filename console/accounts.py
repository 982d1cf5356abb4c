"""Create staff accounts and reset passwords: ``python -m console.accounts``.

  python -m console.accounts create --username alice --role admin
  python -m console.accounts password --username alice
  python -m console.accounts remove --username alice
  python -m console.accounts reset-two-factor --username alice
  python -m console.accounts list

The password is asked for twice at a prompt, or read from standard input when
that is not a terminal (``printf '%s\\n' "$PW" | python -m ...``); never from
the command line, where it would land in shell history and ``ps``. A new
account sets up its authenticator app at its first sign-in; ``reset-two-factor``
makes it set up again (a lost phone and no recovery codes left).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import List, Optional

from sqlalchemy import select

from console.auth import ROLES, create_user, remove_user, set_password
from console.twofactor import reset
from records.models import staff_users
from records.store import Store


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Same password again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.accounts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", choices=ROLES, default="staff")
    password = commands.add_parser("password", help="set a new password (ends that person's sessions)")
    password.add_argument("--username", required=True)
    remove = commands.add_parser("remove", help="delete an account and end its sessions")
    remove.add_argument("--username", required=True)
    reset_two_factor = commands.add_parser(
        "reset-two-factor", help="turn two-factor off until the next sign-in sets it up again (ends sessions)"
    )
    reset_two_factor.add_argument("--username", required=True)
    commands.add_parser("list", help="list accounts")
    args = parser.parse_args(argv)

    engine = Store().engine
    try:
        if args.command == "list":
            with engine.connect() as connection:
                for row in connection.execute(select(staff_users).order_by(staff_users.c.username)):
                    two_factor = "two-factor on" if row.totp_secret else "two-factor at next sign-in"
                    print(f"{row.username}\t{row.role}\tcreated {row.created_at:%Y-%m-%d %H:%M} UTC\t{two_factor}")
            return 0
        if args.command in ("remove", "reset-two-factor"):
            done = (remove_user if args.command == "remove" else reset)(engine, args.username.strip().lower())
            if not done:
                print(f"No account named {args.username!r}.", file=sys.stderr)
                return 1
            what = "Removed" if args.command == "remove" else "Two-factor reset for"
            print(f"{what} {args.username!r}; their sessions were ended.")
            return 0
        if args.command == "create":
            user = create_user(engine, args.username, read_password(), args.role)
            print(f"Created {user.role} account {user.username!r}.")
            return 0
        if not set_password(engine, args.username.strip().lower(), read_password()):
            print(f"No account named {args.username!r}.", file=sys.stderr)
            return 1
        print(f"Password changed for {args.username!r}; their sessions were ended.")
        return 0
    except ValueError as error:
        print(f"Not done: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
