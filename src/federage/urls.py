"""URL map: the API under /api/v1/, the admin, and the single-page app for every other path."""

from django.contrib import admin
from django.urls import path, re_path

from federage.api import api
from federage.webapp.views import spa_index

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    re_path(r"^(?!api/|admin/|static/).*$", spa_index, name="spa"),
]
