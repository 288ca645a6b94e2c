from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _


class CaptureForm(forms.Form):
    urls = forms.CharField(
        label=_("Addresses to capture"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One web address per line: a video page, a post, any web page, or a direct link to a file."),
    )
    mode = forms.ChoiceField(label=_("What to keep"), initial="auto", choices=[
        ("auto", _("Automatic: the video on video sites, the page elsewhere")),
        ("video", _("The video, with yt-dlp, on any site")),
        ("page", _("Only the web page")),
    ])
    testimony = forms.IntegerField(label=_("Link to testimony number"), required=False, min_value=1)

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Give at least one address."))
        if len(lines) > 50:
            raise forms.ValidationError(_("At most 50 addresses at a time."))
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                check(line)
            except forms.ValidationError:
                raise forms.ValidationError(_("Not a web address: %(url)s"), params={"url": line[:200]}) from None
        return lines

    def clean_testimony(self):
        from aigaq.registry.models import Testimony

        pk = self.cleaned_data.get("testimony")
        if pk and not Testimony.objects.filter(pk=pk).exists():
            raise forms.ValidationError(_("No testimony with this number."))
        return pk
