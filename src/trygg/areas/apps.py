from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "trygg.areas"
    label = "areas"
    verbose_name = "Organisationer och områden"
