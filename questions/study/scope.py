"""What a study request names (one set, one topic, one passage, or everything the student
studies), checked against what the caller may study."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from questions.errors import NotFound
from questions.models import Passage, Question, QuestionSet, Topic
from questions.selectors.visibility import studyable_questions, visible_sets

NO_SUCH_SET = "You have no set with this id to study; list yours at /api/v1/sets/."
NO_SUCH_TOPIC = "No topic has this slug; topics are listed with each set."
NO_SUCH_PASSAGE = "No passage has this id."


class ScopeNotFound(NotFound):
    """Something named in the scope is missing, or not the caller's to study."""


@dataclass(frozen=True)
class Scope:
    """Any of a set, a topic and a passage; none of them is everything the student studies."""

    question_set: QuestionSet | None = None
    topic: Topic | None = None
    passage: Passage | None = None

    def as_filter(self) -> dict:
        """The scope as the queue's keyword arguments."""
        return {"question_set": self.question_set, "topic": self.topic, "passage": self.passage}

    def questions(self, user) -> QuerySet[Question]:
        """The questions of the scope that the user may answer."""
        questions = studyable_questions(user)
        if self.question_set:
            questions = questions.filter(question_set=self.question_set)
        if self.topic:
            questions = questions.filter(Q(topics=self.topic) | Q(question_set__topics=self.topic))
        if self.passage:
            questions = questions.filter(passage=self.passage)
        return questions.distinct()


def resolve_scope(
    *, user, set_id: int | None = None, topic: str | None = None, passage_id: int | None = None
) -> Scope:
    """The scope named by ids, each checked: what the caller may not study gets the same error
    as what is missing (ScopeNotFound, with a message per field at fault)."""
    problems: dict[str, list[str]] = {}
    question_set = found_topic = passage = None
    if set_id is not None:
        question_set = visible_sets(user).filter(pk=set_id).first()
        if question_set is None:
            problems["set"] = [NO_SUCH_SET]
    if topic is not None:
        found_topic = Topic.objects.filter(slug=topic).first()
        if found_topic is None:
            problems["topic"] = [NO_SUCH_TOPIC]
    if passage_id is not None:
        passage = Passage.objects.select_related("source").filter(pk=passage_id).first()
        if passage is None:
            problems["passage"] = [NO_SUCH_PASSAGE]
    if problems:
        raise ScopeNotFound(" ".join(message for [message] in problems.values()), fields=problems)
    return Scope(question_set=question_set, topic=found_topic, passage=passage)
