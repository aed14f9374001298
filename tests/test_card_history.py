"""History survives the new card model: an upgrade from a package built by the first release, and edits,
reorders, insertions and deletions of items; siblings are buried when the package's preset is imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from flashcards.errors import SourceError

from helpers import (
    REPO,
    answer_cards,
    copy_project,
    import_package,
    rendered_cards,
    review_log,
    rows,
    run_cli,
    write_tree,
)

#: Packages built by the first release (note types without items) from its bundled source and lock file.
FIRST_RELEASE = Path(__file__).parent / "data" / "first-release"


def card_rows(col: Collection, search: str = "") -> dict[int, tuple[int, int, int, int]]:
    """Per card id: its note, template ordinal, reps and interval (what review history leaves)."""
    ids = set(col.find_cards(search))
    return {
        cid: (nid, ord_, reps, ivl)
        for cid, nid, ord_, reps, ivl in rows(col, "SELECT id, nid, ord, reps, ivl FROM cards")
        if cid in ids
    }


def test_a_collection_of_the_first_release_upgrades_and_keeps_every_kept_cards_history(
    tmp_path: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    for lang in ("ja", "en"):
        assert import_package(collection, FIRST_RELEASE / f"ml-techniques.{lang}.apkg").new == 8
    studied = sorted(collection.find_cards(""))
    assert len(studied) == 46
    answer_cards(collection, studied)
    history = review_log(collection)
    kept = card_rows(collection, "-card:NameToFeatures -card:NameToPros -card:NameToCons")
    assert len(kept) == 2 * (3 * 3 + 5)

    # The learner's project as the first release left it: its source (now edited) and its lock file.
    project = copy_project(tmp_path)
    shutil.copy(FIRST_RELEASE / "ml-techniques.lock.yaml", project / "source" / "ml-techniques.lock.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    assert (
        "  note type 'ml-techniques · concept · ja · v2' gains DescriptionPrompt, ExamplePrompt, Source: when you import "
        'ml-techniques.ja.apkg, tick "Merge note types" in Anki\'s import dialog (for this import only)'
    ) in result.stdout.splitlines()

    for lang in ("ja", "en"):
        summary = import_package(
            collection, project / "dist" / f"ml-techniques.{lang}.apkg", merge_notetypes=True
        )
        assert (summary.new, summary.updated, summary.conflicting) == (18, 8, 0)
    assert review_log(collection) == history
    # The merge fills the field appended since: every note says where its entry is in the source.
    assert len(collection.find_notes("Source:source/ml-techniques.yaml:*")) == 2 * 26
    # Every card that stays is the same card, on the same note, with its reviews.
    assert {cid: row for cid, row in card_rows(collection).items() if cid in kept} == kept
    names = sorted(m.name for m in collection.models.all_names_and_ids() if m.name.startswith("ml-"))
    assert names == [
        "ml-techniques · concept · en · v2",
        "ml-techniques · concept · ja · v2",
        "ml-techniques · item · en",
        "ml-techniques · item · ja",
        "ml-techniques · question · en · v2",
        "ml-techniques · question · ja · v2",
    ]
    # The retired list cards are empty: Tools > Empty Cards offers exactly them.
    retired = set(studied) - set(kept)
    assert len(retired) == 18
    empty = {cid for note in collection.get_empty_cards().notes for cid in note.card_ids}
    assert empty == retired
    # The kept cards show the new model: a masked example, the options and the note on answers.
    (card,) = rendered_cards(collection, "card:ExampleToName Name:Fine-tuning")
    assert card.question.split("\n")[2].startswith("[…] VGG16")
    (card,) = rendered_cards(collection, '"Question:A company wants*"')
    assert card.question.split("\n")[-4:] == [
        "Options",
        "Fine-tuning",
        "Transfer learning",
        "Knowledge distillation",
    ]
    assert card.answer.split("\n")[-1].startswith("These answers are general recommendations")


FEATURES_EN = (
    "Updates some or all of the pre-trained model's parameters.",
    "Trains on task-specific data.",
)


def edit(project: Path, *replacements: tuple[str, str]) -> None:
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")


def test_item_edits_reorders_insertions_and_deletions_keep_history_as_promised(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run_cli(["build"], project).exit_code == 0
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    answer_cards(collection, sorted(collection.find_cards("card:ItemToConcept or card:ConceptToItem")))
    history = review_log(collection)
    before = card_rows(collection)

    def cards_showing(text: str) -> set[int]:
        return set(collection.find_cards(f'(card:ItemToConcept or card:ConceptToItem) "Item:{text}"'))

    edited_before = cards_showing("Trains on task-specific data.")
    reordered_before = cards_showing("Cuts the computational cost at inference time.")
    deleted_before = cards_showing("Choosing the right teacher model is critical.")
    assert len(edited_before) == len(reordered_before) == len(deleted_before) == 2

    edit(
        project,
        # Edited in both languages at once.
        ("        en: Trains on task-specific data.", "        en: Trains on data of the new task only."),
        (
            "      - ja: タスク固有のデータを用いて学習する。",
            "      - ja: 新しいタスクのデータだけで学習する。",
        ),
        # Reordered: distillation's pros swap places.
        (
            "      - ja: 小規模なモデルでも高い性能を発揮できる。\n        en: Even a small model can achieve high performance.\n"
            "      - ja: 推論時の計算コストを削減できる。\n        en: Cuts the computational cost at inference time.\n",
            "      - ja: 推論時の計算コストを削減できる。\n        en: Cuts the computational cost at inference time.\n"
            "      - ja: 小規模なモデルでも高い性能を発揮できる。\n        en: Even a small model can achieve high performance.\n",
        ),
        # Deleted: distillation's first con; inserted: a new first con of fine-tuning.
        (
            "      - ja: 教師モデルの選択が重要となる。\n        en: Choosing the right teacher model is critical.\n",
            "",
        ),
        (
            "    cons:\n      - ja: 事前学習済みモデルの知識が上書きされる可能性がある。",
            "    cons:\n      - ja: 学習率の調整が難しい。\n        en: The learning rate needs care.\n"
            "      - ja: 事前学習済みモデルの知識が上書きされる可能性がある。",
        ),
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000100")
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    summary = import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert summary.conflicting == 0

    assert review_log(collection) == history
    after = card_rows(collection)
    # No studied card was lost or replaced: the same ids, notes and reviews.
    assert {cid: after[cid] for cid in before} == before
    # The edited item's cards are the same cards, now showing the new text.
    assert cards_showing("Trains on data of the new task only.") == edited_before
    assert cards_showing("Cuts the computational cost at inference time.") == reordered_before
    # The deleted item's notes are tombstones; the inserted item's cards are new.
    removed = set(collection.find_cards("tag:flashcards::removed"))
    assert removed == deleted_before
    inserted = cards_showing("The learning rate needs care.")
    assert len(inserted) == 2
    assert not inserted & set(before)
    lock = (project / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8")
    assert "  distillation cons 1: {}\n" in lock
    assert "  fine-tuning cons 3: {" in lock


def import_with_presets(col: Collection, package: Path, presets: bool) -> None:
    options = ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=False, with_deck_configs=presets)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))


def bury(col: Collection, deck: str) -> tuple[str, bool, bool]:
    did = col.decks.id_for_name(deck)
    assert did is not None
    config = col.decks.config_dict_for_deck_id(did)
    return str(config["name"]), bool(config["new"]["bury"]), bool(config["rev"]["bury"])


@pytest.mark.parametrize("presets", [False, True], ids=["default import", "import deck presets"])
def test_the_package_asks_anki_to_bury_siblings(bundled_build: Path, tmp_path: Path, presets: bool) -> None:
    deck = "Fine-tuning, Transfer Learning and Distillation"
    ours = (f"{deck} (flashcards)", True, True)
    anki_default = ("Default", False, False)
    # A new deck.
    col = Collection(str(tmp_path / "new.anki2"))
    import_with_presets(col, bundled_build / "ml-techniques.en.apkg", presets)
    assert bury(col, deck) == (ours if presets else anki_default)
    col.close()
    # A deck already there (imported from the first release).
    col = Collection(str(tmp_path / "old.anki2"))
    import_with_presets(col, FIRST_RELEASE / "ml-techniques.en.apkg", False)
    assert bury(col, deck) == anki_default
    import_with_presets(col, bundled_build / "ml-techniques.en.apkg", presets)
    assert bury(col, deck) == (ours if presets else anki_default)
    col.close()


def test_a_projects_labels_add_to_the_installed_ones_key_by_key(
    tmp_path: Path, collection: Collection
) -> None:
    project = copy_project(tmp_path)
    write_tree(project, {"templates/labels.yaml": "en:\n  pro: Strength\n"})
    assert run_cli(["build"], project).exit_code == 0
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    (card,) = rendered_cards(collection, 'card:ItemToConcept "Item:Yields a model*"')
    assert card.question.split("\n")[1:] == [
        "Strength",
        "Yields a model specialized for the task.",
        "Which technique has this advantage?",
    ]


@pytest.mark.parametrize(
    ("lang", "ask"),
    [
        ("zh", "这个说明描述的是哪个概念？"),
        ("ko", "이 설명에 해당하는 개념은?"),
        ("de", "Was wird hier beschrieben? (Begriff)"),
        ("fr", "Qu'est-ce qui est décrit ici ? (concept)"),
        ("es", "¿Qué se describe aquí? (concepto)"),
    ],
)
def test_a_deck_in_another_language_builds_with_the_installed_labels(
    tmp_path: Path, collection: Collection, lang: str, ask: str
) -> None:
    source = f"""\
        deck:
          id: one
          languages: [{lang}]
          name:
            {lang}: Deck
        concepts:
          - id: alpha
            name:
              {lang}: Alpha
            description:
              {lang}: The first letter.
        """
    write_tree(tmp_path, {"source/one.yaml": source})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / f"one.{lang}.apkg")
    (card,) = rendered_cards(collection, "card:DescriptionToName")
    assert card.question.split("\n")[-1] == ask


def test_the_first_release_fixture_is_what_that_release_built() -> None:
    """The fixture's lock is the one the first release committed beside its bundled source."""
    lock = (FIRST_RELEASE / "ml-techniques.lock.yaml").read_text(encoding="utf-8")
    assert (
        "fields: [Name, Description, Features, Pros, Cons, Example, AskFromDescription, AskFromExample]"
        in lock
    )
    assert (REPO / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8") != lock


def test_the_lock_reads_its_items_back_and_says_where_one_is_damaged(tmp_path: Path) -> None:
    from flashcards import lock

    written = lock.Lock()
    written.items[lock.ItemKey("fine-tuning", "pros", 12)] = {
        "en": "0123456789abcdef",
        "zh-Hant": "fedcba9876543210",
    }
    written.items[lock.ItemKey("fine-tuning", "cons", 1)] = {}  # an item that is gone
    path = tmp_path / "deck.lock.yaml"
    path.write_text(lock.format_lock(written, "deck.yaml"), encoding="utf-8")
    assert lock.read_lock(path).items == written.items
    path.write_text(path.read_text(encoding="utf-8").replace("pros 12", "pros twelve"), encoding="utf-8")
    with pytest.raises(SourceError) as error:
        lock.read_lock(path)
    assert error.value.messages() == [
        f"{path}:9:28: items.fine-tuning pros twelve: this line is damaged; restore deck.lock.yaml from version "
        "control, or delete it (the next import then updates every note)"
    ]
