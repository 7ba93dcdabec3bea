"""The catalogue's fixed vocabulary: domains, access modes and costs, with their English
labels (message ids of translations/, translated where shown)."""

from wegwijzer.i18n import N_

DOMAINS = {
    "onthaal": N_("First contact"),
    "welzijn": N_("Welfare and family"),
    "gezondheid": N_("Health, drugs and alcohol"),
    "onderwijs": N_("Learning and language"),
    "werk": N_("Work and training"),
    "wonen": N_("Housing"),
    "financien": N_("Money and insurance"),
    "juridisch": N_("Legal help"),
    "cultuur": N_("Culture"),
    "sport": N_("Sport"),
}

ACCESS_MODES = {
    "frontoffice": N_(
        "Ask the frontoffice (Radar). They look at your question and find the right service."),
    "direct": N_("Ask this service directly."),
    "group": N_("Sign up for the group or course. Places are limited."),
    "info": N_("Information only: there is nothing to book."),
}

# What a service costs a detainee, where the catalogue knows it.
COSTS = {
    "free": N_("Free for you."),
    "paid": N_("This costs something: ask the service how much."),
}
