from django.urls import path

from healthtrainer.workforce.views import resources as views

P = "p/<slug:programme_slug>/resources/"

urlpatterns = [
    path(f"{P}indirect-time/new/", views.indirect_time_new, name="indirect_time_new"),
    path(f"{P}role-rates/", views.role_rates, name="role_rates"),
    path(f"{P}budget/", views.budget_lines, name="budget_lines"),
    path(f"{P}budget/new/", views.budget_line_edit, name="budget_line_new"),
    path(f"{P}budget/<int:line_id>/", views.budget_line_edit, name="budget_line_edit"),
    path(f"{P}cost-items/", views.cost_items, name="cost_items"),
    path(f"{P}cost-items/new/", views.cost_item_new, name="cost_item_new"),
]
