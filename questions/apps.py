from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "questions"
    verbose_name = "Questions and study"

    def ready(self) -> None:
        from questions import auth, signals  # noqa: F401 - connects the receivers
