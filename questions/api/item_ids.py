"""Transitional, to be deleted: the engine now shows opaque item ids itself.

`questions.presentation.student_view` names choices, matching right sides and ordering items by
keyed ids, and `review_record` maps them back (refusing row ids). study_views.py, being edited
elsewhere meanwhile, still imports these names; drop its three uses and delete this module.
"""

from questions.grading import InvalidAnswer as UnknownItemId

__all__ = ["UnknownItemId", "hide_item_ids", "reveal_item_ids"]


def hide_item_ids(view: dict) -> dict:
    return view


def reveal_item_ids(*, question, answer):
    return answer
