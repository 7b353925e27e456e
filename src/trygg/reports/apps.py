from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "trygg.reports"
    label = "reports"
    verbose_name = "Resultat och rapporter"
