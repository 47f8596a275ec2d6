"""Help me choose a retention: a simulated year at each desired retention (Anki's "Help Me
Decide"), linked from the settings page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from questions.services.retention import RetentionOutOfRange, retention_help


class RetentionChoiceForm(forms.Form):
    desired_retention = forms.FloatField(
        required=False,
        label="Try a desired retention",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.70", "max": "0.99"}),
        help_text="From 0.70 to 0.99, to the hundredth; it is added to the table.",
    )


@login_required
@require_GET
def retention_helper(request):
    form = RetentionChoiceForm(request.GET or None)
    chosen = form.cleaned_data["desired_retention"] if form.is_valid() else None
    try:
        helped = retention_help(user=request.user, desired_retention=chosen)
    except RetentionOutOfRange as refused:
        form.add_error("desired_retention", str(refused))
        helped = retention_help(user=request.user)
    context = {"form": form, "help": helped, "nav": "settings"}
    return render(request, "questions/account/retention.html", context)
