"""Print every demo login `make run` seeds (from webapp/demo/seed.py, so the list never goes stale)."""
from webapp.demo.seed import DEMO_PASSWORD, DEMO_USERS


def main() -> None:
    """Print one line per demo user: username, role, name and regions."""
    print(f"  demo logins (password {DEMO_PASSWORD}):")
    for username, role, name, regions in DEMO_USERS:
        print(f"  {username:<16} {role:<10} {name}" + (f"  ({', '.join(regions)})" if regions else ""))


if __name__ == "__main__":
    main()
