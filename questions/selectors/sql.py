"""SQL expressions the reads share."""

from datetime import datetime

from django.db.models import (
    F,
    FloatField,
    Func,
    Value,
)
from django.db.models.functions import Floor, Power

from questions.models import (
    Profile,
)
from questions.scheduling import (
    SchedulerSettings,
    fitted_parameters,
    forgetting_curve_constants,
)


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM %(expressions)s)::double precision",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra_context,
        )


SECONDS_PER_DAY = 86400.0


def retrievability_expression(*, now: datetime, profile: Profile, prefix: str = ""):
    """FSRS-6 retrievability of a card row at `now`, in SQL, as py-fsrs computes it
    (whole days elapsed since the last review)."""
    settings = SchedulerSettings.build(parameters=fitted_parameters(profile.fsrs_parameters))
    factor, decay = forgetting_curve_constants(settings)
    elapsed_days = Floor(
        (Value(now.timestamp()) - EpochSeconds(f"{prefix}last_review")) / Value(SECONDS_PER_DAY)
    )
    return Power(
        Value(1.0) + Value(factor) * elapsed_days / F(f"{prefix}stability"),
        Value(decay),
        output_field=FloatField(),
    )
