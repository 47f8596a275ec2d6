from django.db import models


class Source(models.Model):
    """A text that questions are drawn from, split into passages that questions cite."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    citation = models.CharField(
        max_length=500, blank=True, help_text="Author, publication and other bibliographic details."
    )
    period = models.CharField(max_length=100, blank=True, help_text="The period the text covers.")
    text = models.TextField(help_text="The full text, word for word.")
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Passage(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(help_text="1 for the first passage of the source.")
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "position"], name="passage_unique_position_in_source"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="passage_position_from_one"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.heading}: " if self.heading else ""
        return f"§{self.position} {label}{self.text[:60]}"
