from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "trygg.surveys"
    label = "surveys"
    verbose_name = "Enkäter"
