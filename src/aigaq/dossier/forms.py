from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aigaq.dossier.models import PetitionTemplate
from aigaq.dossier.petitions import TemplateRefused, compile_body


class PetitionTemplateForm(forms.ModelForm):
    class Meta:
        model = PetitionTemplate
        fields = ["name", "language", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "true"})}
        help_texts = {"body": _("Django template syntax: {{ person.name }}, {% for e in events %}…{% endfor %}. "
                                "Only the case is available: {% load %}, {% include %} and {% extends %} are refused.")}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            compile_body(body)
        except TemplateRefused as exc:
            raise forms.ValidationError(_("The template cannot be used: %(error)s") % {"error": exc}) from None
        return body
