import csv
import io

from rest_framework.renderers import BaseRenderer

from questions.formats.common import spreadsheet_cell

QUESTION_COLUMNS = [
    "question",
    "set",
    "kind",
    "title",
    "prompt",
    "attempts",
    "students",
    "facility",
    "discrimination_index",
    "mean_response_ms",
]
STUDENT_COLUMNS = [
    "user",
    "username",
    "attempts",
    "facility",
    "mastered",
    "mastery",
    "last_activity",
]


class ClassReportCSVRenderer(BaseRenderer):
    """The class report as CSV: the questions table, a blank line, then the students table."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(QUESTION_COLUMNS)
        for row in data["questions"]:
            writer.writerow([spreadsheet_cell(row[column]) for column in QUESTION_COLUMNS])
        writer.writerow([])
        writer.writerow(STUDENT_COLUMNS)
        for row in data["students"]:
            values = {**row, "user": row["user"]["id"], "username": row["user"]["username"]}
            writer.writerow([spreadsheet_cell(values[column]) for column in STUDENT_COLUMNS])
        return buffer.getvalue().encode(self.charset)
