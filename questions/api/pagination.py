from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every list of the API: ?page=N, and ?page_size= up to 200 (50 by default)."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "This page does not exist; ask for a page from 1 to the last one."
