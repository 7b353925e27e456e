"""Public addresses (contract: shared/spec/urls.md)."""

from django.contrib import admin
from django.urls import include, path

from trygg.incidents import views as incident_views
from trygg.promises import views as promise_views
from trygg.promises import views_staff as promise_staff_views
from trygg.reports import picture_views
from trygg.reports import report_views as report_downloads
from trygg.reports import views as report_views
from trygg.reports.api import api
from trygg.reports.staff_home import staff_home
from trygg.surveys import burst_views, review_views, staff_views
from trygg.surveys import views as survey_views

admin.site.site_header = "trygg – personal"
admin.site.site_title = "trygg"
admin.site.index_title = "Enkäter, svar och områden"

urlpatterns = [
    path("", report_views.home, name="home"),
    path("halsa/", report_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's catch-all under personal/.
    path("personal/", include("trygg.accounts.urls")),
    path("personal/kodning/<str:survey>/", review_views.review_list, name="review_list"),
    path("personal/kodning/<str:survey>/<int:response_id>/", review_views.review_detail, name="review_detail"),
    path("personal/skurar/<str:survey>/", burst_views.burst_list, name="burst_list"),
    path("personal/enkater/<slug:org>/", staff_views.survey_list, name="staff_surveys"),
    path("personal/enkater/<slug:org>/<int:year>/<slug:step>/", staff_views.survey_step, name="staff_survey_step"),
    path("personal/import/<str:survey>/", staff_views.import_page, name="staff_import"),
    path("personal/insamling/<str:survey>/", staff_views.entry_page, name="staff_entry"),
    path("personal/dialog/<str:survey>/", staff_views.notes_page, name="staff_notes"),
    path("personal/monitor/<str:survey>/", staff_views.monitor_page, name="staff_monitor"),
    path("personal/lagesbild/<str:survey>/", picture_views.picture_page, name="picture"),
    path("personal/lagesbild/<str:survey>/lagesbild.csv", picture_views.picture_csv, name="picture_csv"),
    path("personal/lofte/<slug:org>/", promise_staff_views.promise_list, name="staff_promises"),
    path("personal/lofte/<slug:org>/nytt/", promise_staff_views.promise_new, name="staff_promise_new"),
    path("personal/lofte/<slug:org>/<int:year>/", promise_staff_views.promise_edit, name="staff_promise"),
    path("personal/lofte/<slug:org>/<int:year>/aktivitet/<int:number>/", promise_staff_views.activity_edit,
         name="staff_activity"),
    path("personal/rapport/<str:survey>/pressmeddelande.html", report_downloads.press_release, name="press_release"),
    path("personal/handelser/<slug:org>/", incident_views.incident_upload, name="incident_upload"),
    # The staff's own first page in place of the admin's index (whose lists it links), behind the admin's login.
    path("personal/", admin.site.admin_view(staff_home), name="staff_home"),
    path("personal/", admin.site.urls),
    path("api/", api.urls),
    path("<slug:org>/", report_views.organisation, name="organisation"),
    path("<slug:org>/enkat/<int:year>/", survey_views.survey_form, name="survey_form"),
    path("<slug:org>/resultat/<int:year>/", report_views.results, name="results"),
    path("<slug:org>/resultat/<int:year>/rapport.html", report_downloads.report_html, name="report_html"),
    path("<slug:org>/resultat/<int:year>/rapport.pdf", report_downloads.report_pdf, name="report_pdf"),
    path("<slug:org>/resultat/<int:year>/oppna-data.zip", report_downloads.opendata_download, name="opendata_zip"),
    path("<slug:org>/lofte/<int:year>/", promise_views.promise_page, name="promise"),
    path("<slug:org>/lofte/<int:year>/atom.xml", promise_views.ProgressFeed(), name="promise_feed"),
    path("<slug:org>/lofte/<int:year>/lofte.json", promise_views.promise_json, name="promise_json"),
    path("<slug:org>/lofte/<int:year>/underlag/<int:entry>/", promise_views.evidence_file, name="promise_evidence"),
]

handler404 = "trygg.reports.views.not_found"
handler500 = "trygg.reports.views.server_error"
