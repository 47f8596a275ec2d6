from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_NOT_A_NUMBER = "Ask for one page, a whole number from 1, e.g. ?page=2."
PAGE_SIZE_OUT_OF_RANGE = (
    "Ask for a page_size from 1 to {limit} (QUIZSITE_MAX_PAGE_SIZE); lists are paged with ?page=."
)


class Pagination(PageNumberPagination):
    """Every list of the API: ?page=N, and ?page_size= up to QUIZSITE_MAX_PAGE_SIZE (200 by
    default; 50 a page unless asked). A page_size outside that range is a 400, not a silent cut."""

    page_size_query_param = "page_size"
    max_page_size = settings.QUIZSITE_MAX_PAGE_SIZE
    invalid_page_message = "This page does not exist; ask for a page from 1 to the last one."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = PAGE_SIZE_OUT_OF_RANGE.format(limit=self.max_page_size)
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_page_number(self, request, paginator):
        given = request.query_params.getlist(self.page_query_param)
        if not given:
            return 1
        if len(given) > 1 or not given[0].isdigit() or int(given[0]) < 1:
            raise ValidationError({self.page_query_param: [PAGE_NOT_A_NUMBER]})
        return int(given[0])

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters
