from django.core.management.base import BaseCommand
from django.utils import timezone
from pylti1p3.exception import LtiException
from requests import RequestException

from lti.models import CourseClass
from lti.services.courses import roster_sync


class Command(BaseCommand):
    help = "Sync every LMS course's class roster from the LMS (Names and Role service)."

    def handle(self, *args, **options):
        courses = CourseClass.objects.exclude(context__memberships_url="")
        for course in courses.select_related("classroom", "context__deployment__registration"):
            try:
                added, removed = roster_sync(course=course, now=timezone.now())
            except (LtiException, RequestException, ValueError) as error:
                self.stderr.write(f"{course.classroom}: {error}")
            else:
                self.stdout.write(f"{course.classroom}: {added} added, {removed} removed.")
