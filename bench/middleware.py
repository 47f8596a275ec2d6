"""Counts the SQL each request sends, in response headers the load client adds up."""

from django.db import connection

QUERIES_HEADER = "X-Bench-Queries"
TRANSACTION_HEADER = "X-Bench-Transaction-Statements"
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


class QueryCounter:
    """An execute wrapper that tells queries from transaction control (BEGIN, SAVEPOINT…)."""

    def __init__(self) -> None:
        self.queries = 0
        self.transaction_statements = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
            self.transaction_statements += 1
        else:
            self.queries += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(counter.queries)
        response[TRANSACTION_HEADER] = str(counter.transaction_statements)
        return response
