from django.contrib import admin

from lti.models import ContentLink, CourseClass, GradeSend, LinkedResource


@admin.register(CourseClass)
class CourseClassAdmin(admin.ModelAdmin):
    list_display = ["classroom", "context", "roster_synced_at"]
    raw_id_fields = ["context", "classroom"]


@admin.register(ContentLink)
class ContentLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "course", "created_at"]
    raw_id_fields = ["course", "question_set", "created_by"]


@admin.register(LinkedResource)
class LinkedResourceAdmin(admin.ModelAdmin):
    list_display = ["resource_link", "link", "lineitem_url"]
    raw_id_fields = ["resource_link", "link"]


@admin.register(GradeSend)
class GradeSendAdmin(admin.ModelAdmin):
    list_display = ["lti_user", "resource", "status", "score_given", "attempts", "not_before"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in GradeSend._meta.fields]
