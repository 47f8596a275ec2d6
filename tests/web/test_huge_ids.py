import pytest

pytestmark = pytest.mark.django_db

BEYOND_THE_DATABASE = str(2**63)


@pytest.mark.parametrize(
    "path",
    [
        "/teach/sets/{id}/",
        "/teach/sets/{id}/edit/",
        "/teach/sets/{id}/questions/{id}/",
        "/sources/{id}/",
        "/classes/{id}/report/",
        "/study/reveal/{id}/",
        "/quizzes/{id}/",
        "/lti/classes/{id}/",
    ],
)
@pytest.mark.parametrize("digits", [BEYOND_THE_DATABASE, "9" * 40])
def test_an_id_too_large_for_the_database_is_no_page_not_a_server_error(school, path, digits):
    response = school.client("teacher").get(path.format(id=digits))

    assert response.status_code == 404


def test_an_id_the_database_can_hold_still_opens_its_page(school):
    response = school.client("teacher").get(f"/teach/sets/{school.question_set.pk}/")

    assert response.status_code == 200
