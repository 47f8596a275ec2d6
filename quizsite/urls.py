from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("questions.api.urls")),
    path("", include("questions.web.urls")),
]
# Imported images and sounds (MEDIA_ROOT/imports/), served by Django only while DEBUG is on.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
