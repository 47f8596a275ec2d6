from django.apps import AppConfig


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lti"
    verbose_name = "LTI 1.3 (courses in an LMS)"

    def ready(self) -> None:
        from lti import signals  # noqa: F401 - connects the receivers
