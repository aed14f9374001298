"""Card rules seen through Anki: no prompt with two right answers, escaped text, restyled templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import import_package, rendered_cards, run_cli, write_tree

SOURCE = """\
deck:
  id: shared
  languages: [en]
  name:
    en: Shared prompts
concepts:
  - id: alpha
    name:
      en: Alpha
    description:
      en: A technique that reuses a model.
    pros:
      - en: Works with little data.
    example:
      en: Reuse VGG16.
  - id: beta
    name:
      en: Beta
    description:
      en: A technique that reuses a model
    pros:
      - en: Works with little data.
    example:
      en: Something else entirely.
"""


def test_a_shared_description_gives_no_reverse_card_and_a_warning(
    tmp_path: Path, collection: Collection
) -> None:
    write_tree(tmp_path, {"source/shared.yaml": SOURCE})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "source/shared.yaml:7: concepts[0].description.en: warning: another concept has the same description "
        "in 'en', so the card asking for the name from the description would have two right answers; it is left out",
        "source/shared.yaml:16: concepts[1].description.en: warning: another concept has the same description "
        "in 'en', so the card asking for the name from the description would have two right answers; it is left out",
    ]
    import_package(collection, tmp_path / "dist" / "shared.en.apkg")
    templates = sorted((c.template, c.question.split("\n")[2]) for c in rendered_cards(collection))
    # The shared pro is asked once, answered with both; the distinct examples keep their cards.
    assert templates == [
        ("ConceptToItem", "Alpha"),
        ("ConceptToItem", "Beta"),
        ("ExampleToName", "Reuse VGG16."),
        ("ExampleToName", "Something else entirely."),
        ("ItemToConcept", "Works with little data."),
        ("NameToDescription", "Alpha"),
        ("NameToDescription", "Beta"),
    ]


def test_text_that_looks_like_html_is_shown_as_text_and_markdown_formats(
    tmp_path: Path, collection: Collection
) -> None:
    source = SOURCE.replace(
        "Reuse VGG16.", '"<script>alert(1)</script> **bold** <b onclick=x>b</b> & {{Name}} $5"'
    )
    write_tree(tmp_path, {"source/shared.yaml": source})
    assert run_cli(["build"], tmp_path).exit_code == 0
    import_package(collection, tmp_path / "dist" / "shared.en.apkg")
    (card,) = rendered_cards(collection, "card:ExampleToName Name:Alpha")
    assert (
        '<div class="fc-prompt fc-long">&lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong> '
        in card.question_html
    )
    assert "&lt;b onclick=x&gt;b&lt;/b&gt; &amp; {{Name}} $5</div>" in card.question_html
    assert card.question.split("\n")[2] == "<script>alert(1)</script> bold <b onclick=x>b</b> & {{Name}} $5"


def test_the_projects_own_templates_come_first(tmp_path: Path, collection: Collection) -> None:
    write_tree(
        tmp_path,
        {
            "source/shared.yaml": SOURCE,
            "templates/concept/NameToDescription.front.html": """\
                {{#Description}}<p class="mine">[[ labels.description ]]!! {{Name}}</p>{{/Description}}
            """,
            "templates/style.css": ".mine { color: red; }\n",
        },
    )
    assert run_cli(["build"], tmp_path).exit_code == 0
    import_package(collection, tmp_path / "dist" / "shared.en.apkg")
    (card,) = rendered_cards(collection, "card:NameToDescription Name:Alpha")
    assert (
        card.question_html
        == '<style>.mine { color: red; }\n</style><p class="mine">Description!! Alpha</p>\n'
    )
    (other,) = rendered_cards(collection, "card:ExampleToName Name:Alpha")
    assert (
        other.question == "Shared prompts\nExample\nReuse VGG16.\nWhich concept does this example illustrate?"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{{#Pros}}\n<p>{{Nmae}}</p>\n{{/Pros}}\n",
            "templates/concept/NameToPros.front.html:2:4: '{{Nmae}}' names no field of the concept note type "
            "(fields: Name, Description, Features, Pros, Cons, Example, AskFromDescription, AskFromExample, "
            "DescriptionPrompt, ExamplePrompt, Source)",
        ),
        (
            "{{#Pros}}\n<p>[[ labels.prose ]]</p>\n{{/Pros}}\n",
            "templates/concept/NameToPros.front.html:2:1: template error: 'dict object' has no attribute 'prose'",
        ),
        (
            "{{#Pros}}\n[% if %]\n{{/Pros}}\n",
            "templates/concept/NameToPros.front.html:2:1: template error: Expected an expression, got 'end of statement block'",
        ),
    ],
)
def test_a_broken_template_is_reported_with_its_line(tmp_path: Path, template: str, expected: str) -> None:
    write_tree(tmp_path, {"source/shared.yaml": SOURCE, "templates/concept/NameToPros.front.html": template})
    result = run_cli(["build"], tmp_path)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [expected])
    assert not (tmp_path / "dist").exists()


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/shared.yaml": SOURCE})
    assert run_cli(["build", "-o", "one"], tmp_path).exit_code == 0
    assert run_cli(["build", "-o", "two"], tmp_path).exit_code == 0
    one = (tmp_path / "one" / "shared.en.apkg").read_bytes()
    assert one == (tmp_path / "two" / "shared.en.apkg").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "source", "two"]
