"""Personal data: redaction for chapters, scanning for rendered outputs."""

import base64
import json
import zipfile

import pytest

from lnutils.privacy import (
    EMAIL_MARK,
    NAME_MARK,
    PHONE_MARK,
    find_in_text,
    html_text,
    name_index,
    redact_text,
    scan_paths,
)

NAMES = ["Kari Nordmann", "Ola Nordmann"]


def test_redact_replaces_address_phone_and_name():
    text = "Kontakt Kari Nordmann på kari.nordmann@kommune.no eller 922 33 444."
    assert redact_text(text, NAMES) == (
        f"Kontakt {NAME_MARK} på {EMAIL_MARK} eller {PHONE_MARK}.")


@pytest.mark.parametrize("phone", ["92233444", "922 33 444", "22 33 44 55", "+47 22334455",
                                   "+4722334455", "0047 92 23 34 44", "223 44 556"])
def test_norwegian_phone_forms_are_found(phone):
    assert find_in_text(f"Ring {phone}, takk.") == [("telefon", phone)]


@pytest.mark.parametrize("text", [
    "Svarprosenten var 31,8 % (35 av 110).",
    "Snitt 4.68571429 og 4,12345678 på skalaen.",
    "Datoen 2021-06-24 og 24.08.2021, klokka 12:30.",
    "Kompakt dato 20210624 i et filnavn.",
    "Figur 12 og tabell 2 viser 72 hendelser.",
    "Fargen #12345678 og id 123456789012.",
    "Nummer 12345678 begynner med 1 og er ikke et norsk telefonnummer.",
])
def test_numbers_that_are_not_phones(text):
    assert find_in_text(text) == []


def test_names_match_case_and_spacing_but_not_parts_of_words():
    assert find_in_text("KARI  nordmann skrev", NAMES) == [("navn", "KARI  nordmann")]
    assert find_in_text("Karin Nordmannsen skrev", NAMES) == []


def test_redact_keeps_text_without_personal_data():
    text = "«Vi har blitt sett», skrev et team i 2021."
    assert redact_text(text, NAMES) == text


def test_html_text_skips_css_and_image_data_but_keeps_links():
    png = base64.b64encode(b"\x89PNG 92233444 " * 20).decode()
    markup = (f"<style>.a {{ width: 22334455px }}</style><img src='data:image/png;base64,{png}' "
              "alt='Figur'><a href='mailto:ola@example.no'>skriv</a><p>Tekst</p>")
    text = html_text(markup)
    assert "22334455" not in text and "PNG" not in text
    assert "ola@example.no" in text and "Tekst" in text


def test_scan_paths_reports_file_kind_and_place(tmp_path):
    html = tmp_path / "report.html"
    html.write_text("<html><body><p>Skriv til per@example.no</p></body></html>", encoding="utf-8")
    nb = tmp_path / "kapittel.ipynb"
    nb.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": "Ingen data her", "metadata": {}},
        {"cell_type": "code", "source": "x", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["Ola Nordmann\n"]},
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": "iVBORw0KGgo92233444", "text/plain": "<Figure>"}}]}]}),
        encoding="utf-8")
    docx = tmp_path / "report.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml",
                         "<w:document><w:p><w:r><w:t>Tlf 22 33 44 55</w:t></w:r></w:p>"
                         "</w:document>")
    findings = scan_paths([html, nb, docx], NAMES)
    assert [(f.path.name, f.kind, f.text, f.where) for f in findings] == [
        ("report.html", "e-post", "per@example.no", ""),
        ("kapittel.ipynb", "navn", "Ola Nordmann", "cell 2 output"),
        ("report.docx", "telefon", "22 33 44 55", ""),
    ]
    assert "report.html" in findings[0].format() and "per@example.no" in findings[0].format()


def test_scan_paths_finds_nothing_in_clean_files(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("35 av 110 svarte (31,8 %).", encoding="utf-8")
    assert scan_paths([path], NAMES) == []


def test_names_with_hyphens_and_longest_first():
    names = ["Anne-Lise Berg", "Anne-Lise Berg Dahl", "Per Ås"]
    assert redact_text("Anne-Lise Berg Dahl og per  ås møttes.", names) == (
        f"{NAME_MARK} og {NAME_MARK} møttes.")
    assert find_in_text("Lise Berg og Anne kom.", names) == []


def test_one_name_among_thousands_is_found():
    names = [f"Fornavn{i} Etternavn{i}" for i in range(20_000)] + ["Kari Nordmann"]
    index = name_index(names)
    assert index.find("Et møte uten navn.") == []
    assert find_in_text("Møtet ledet av FORNAVN123 etternavn123 og kari nordmann.", index) == [
        ("navn", "FORNAVN123 etternavn123"), ("navn", "kari nordmann")]
    assert find_in_text("Fornavn123 Etternavn124", index) == []
