"""The id in a page's address: a whole number the database can hold.

Django's `int` converter takes any run of digits, and an id of 2**63 or more then failed the
row lookup with a 500 (SQLite and PostgreSQL store ids as 64-bit integers). Eighteen digits
stay below that, so a longer id is simply no page: a 404."""

from django.urls import register_converter


class RowIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "id")
