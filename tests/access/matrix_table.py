"""The built-in matrix written out by hand: what each role may do with each order field and action.

Today's behaviour of webapp/access/defaults.py, spelled out cell by cell so a wrong default cannot
hide behind the code that computes it. Only these keys are pinned: the matrix may hold more (step
and area actions) without breaking the tests that read this table.
"""
TABLE = """
                admin     manager   sales     warehouse finance   support
order_no        read      read      read      read      read      read
channel         write     write     write     read      read      read
external_id     write     write     read      hidden    read      hidden
customer_name   write     write     write     read      read      read
customer_phone  write     write     write     read      read      read
address         write     write     write     read      read      read
region          write     write     read      read      read      read
salesperson     write     write     read      hidden    read      read
status          read      read      read      read      read      read
items           write     write     write     read      read      read
discount        write     write     write     hidden    read      hidden
shipping_fee    write     write     write     hidden    read      hidden
shipping_paid_by write    write     write     hidden    read      hidden
total_amount    read      read      read      hidden    read      hidden
cost_total      read      read      hidden    hidden    read      hidden
profit          read      read      hidden    hidden    read      hidden
carrier         write     write     read      write     read      read
tracking_no     write     write     read      write     read      read
outbound_at     write     write     read      write     read      read
notes           write     write     write     write     read      write
unit_price      write     write     read      hidden    read      hidden
unit_cost       write     write     hidden    hidden    read      hidden
photos          write     write     read      write     read      read
approve         write     write     hidden    hidden    hidden    hidden
delete          write     hidden    hidden    hidden    hidden    hidden
restore         write     hidden    hidden    hidden    hidden    hidden
unlock          write     hidden    hidden    hidden    hidden    hidden
catalogue       write     write     hidden    hidden    hidden    hidden
catalogue_price write     write     hidden    hidden    hidden    hidden
"""
SCOPES = {"admin": "all", "manager": "all", "sales": "own", "warehouse": "region", "finance": "all",
          "support": "all"}
ACTIONS = ("approve", "delete", "restore", "unlock", "catalogue", "catalogue_price")


def _parse(table: str) -> dict:
    """Return {role: {key: level}} from the grid above."""
    header, *rows = [line.split() for line in table.strip().splitlines()]
    return {role: {row[0]: row[1 + i] for row in rows} for i, role in enumerate(header)}


EXPECTED = _parse(TABLE)
KEYS = tuple(EXPECTED["admin"])
