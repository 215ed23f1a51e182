"""Forms that narrow a list from the query string (`?q=…&status=…`).

Every field is optional. A value that does not check is shown against its field and left
out of the filter, so a mistyped address still shows the list. The same form drives the
page without JavaScript (a GET form with a Filter button) and in place with htmx.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms


class FilterForm(forms.Form):
    def filters(self) -> dict[str, Any]:
        """The values that checked, without the blank ones."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }

    def query_string(self) -> str:
        """The filters as they were given, for links to other pages of the same list."""
        return urlencode(
            {name: self.data[name] for name in self.filters() if isinstance(self.data[name], str)}
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


def search_words(text: str) -> list[str]:
    """The words of a search box, at most five, so a pasted paragraph stays one query."""
    return text.split()[:5]
