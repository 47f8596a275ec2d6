"""The page that follows a background job a teacher started: progress, then the result."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from questions.models import Job
from questions.services.jobs import job_progress
from questions.web.permissions import teacher_required


@teacher_required
@require_GET
def job_detail(request, job_id):
    job = get_object_or_404(Job.objects.filter(owner=request.user), pk=job_id)
    done, total = job_progress(job)
    template = (
        "questions/teach/_job_status.html"
        if request.headers.get("HX-Request")
        else "questions/teach/job.html"
    )
    return render(request, template, {"job": job, "done": done, "total": total, "nav": "teach"})
