"""Limits on what a client may send that are named settings, checked when validating."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

TOO_LONG = "At most {limit} characters are allowed ({setting}); this has {length}."


@deconstructible
class LimitedLength:
    """A maximum length that is a named setting, read when validating (so changing the
    setting needs no migration); the message names the setting."""

    def __init__(self, setting: str):
        self.setting = setting

    def __call__(self, value) -> None:
        limit = getattr(settings, self.setting)
        if isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                TOO_LONG.format(limit=limit, setting=self.setting, length=len(value)),
                code="max_length",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, LimitedLength) and other.setting == self.setting


PROMPT_LENGTH = LimitedLength("QUIZSITE_MAX_PROMPT_CHARS")
EXPLANATION_LENGTH = LimitedLength("QUIZSITE_MAX_EXPLANATION_CHARS")
ANSWER_LENGTH = LimitedLength("QUIZSITE_MAX_ANSWER_CHARS")
DESCRIPTION_LENGTH = LimitedLength("QUIZSITE_MAX_DESCRIPTION_CHARS")
