"""The names people give a table's columns (or, in a transposed table, its rows), in the languages a sheet
may be written in, and the ``--column HEADER=FIELD`` choices for the rest."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping


class Field(enum.Enum):
    NAME = "name"
    DESCRIPTION = "description"
    FEATURES = "features"
    PROS = "pros"
    CONS = "cons"
    EXAMPLE = "example"
    QUESTION = "question"
    ANSWER = "answer"
    #: Left out on purpose (only through --column).
    SKIP = "skip"


#: The words a header cell may be, "|" between them (compared after NFKC, case folding and trimming of
#: ':' and emphasis), in Japanese, Chinese, Korean, English, German, French and Spanish.
_WORDS: dict[Field, str] = {
    Field.NAME: (
        "手法|技法|技術|概念|用語|名前|名称|方式|方法|アルゴリズム|項目|ツール|サービス|選択肢|キーワード|パターン|モデル|技术|术语|算法|工具|服务|"
        "选项|模型|名字|기법|방법|개념|이름|용어|알고리즘|도구|서비스|방식|모델|technique|method|concept|name|term|"
        "algorithm|approach|tool|service|option|keyword|pattern|model|technology|"
        "strategy|begriff|methode|verfahren|konzept|algorithmus|werkzeug|technik|ansatz|"
        "nom|terme|méthode|algorithme|outil|approche|notion|nombre|término|método|"
        "concepto|técnica|algoritmo|herramienta|enfoque"
    ),
    Field.DESCRIPTION: (
        "説明|概要|定義|意味|内容|解説|说明|描述|概述|简介|解释|含义|설명|정의|개요|의미|내용|description|definition|"
        "summary|overview|explanation|meaning|what it is|beschreibung|erklärung|"
        "bedeutung|übersicht|zusammenfassung|définition|explication|résumé|signification|"
        "descripción|definición|explicación|resumen|significado"
    ),
    Field.FEATURES: (
        "特徴|特長|性質|特点|特征|特性|특징|특성|features|feature|characteristics|properties|traits|"
        "key features|merkmale|eigenschaften|caractéristiques|propriétés|características|"
        "propiedades"
    ),
    Field.PROS: (
        "利点|長所|メリット|強み|优点|优势|长处|장점|이점|pros|advantages|benefits|strengths|upsides|"
        "vorteile|stärken|avantages|points forts|ventajas"
    ),
    Field.CONS: (
        "欠点|短所|デメリット|弱み|注意点|缺点|劣势|不足|단점|약점|cons|disadvantages|drawbacks|weaknesses|"
        "downsides|limitations|nachteile|schwächen|inconvénients|désavantages|"
        "points faibles|desventajas|contras"
    ),
    Field.EXAMPLE: (
        "サンプル|例|具体例|使用例|事例|例文|用例|例子|示例|举例|예|예시|사례|example|examples|sample|"
        "use case|use cases|usage|beispiel|beispiele|exemple|exemples|ejemplo|ejemplos"
    ),
    Field.QUESTION: ("問題|質問|問い|問|问题|질문|문제|question|questions|q|frage|fragen|pregunta|preguntas"),
    Field.ANSWER: (
        "回答|解答|答え|答|答案|답|정답|답변|answer|answers|a|antwort|antworten|réponse|réponses|"
        "respuesta|respuestas"
    ),
}
WORDS: dict[Field, tuple[str, ...]] = {f: tuple(words.split("|")) for f, words in _WORDS.items()}

#: Words for the top-left cell of a transposed table (attributes as rows, one column per concept).
_ASPECTS = (
    "観点|比較項目|項目|比較|特性|視点|方面|对比项|项目|维度|항목|구분|비교|feature|aspect|criterion|criteria|"
    "attribute|property|comparison|dimension|category|merkmal|kriterium|aspekt|critère|criterio|aspecto|"
    "característica"
)
ASPECT_WORDS = frozenset(["", *_ASPECTS.split("|")])

_BY_WORD = {word: field for field, words in WORDS.items() for word in words}


def normal_word(text: str) -> str:
    word = unicodedata.normalize("NFKC", text).strip().strip("*_`#").strip()
    return " ".join(word.rstrip(":").strip().casefold().split())


def field_of(header: str, chosen: Mapping[str, Field]) -> Field | None:
    """The field a header cell names: the user's ``--column`` choice first, then the usual words."""
    word = normal_word(header)
    return chosen.get(word) or _BY_WORD.get(word)


def is_aspect(header: str) -> bool:
    return normal_word(header) in ASPECT_WORDS


def parse_choices(values: tuple[str, ...]) -> dict[str, Field]:
    """``--column HEADER=FIELD`` options as {normal header word: field}; raises ValueError with a message."""
    choices: dict[str, Field] = {}
    names = ", ".join(f.value for f in Field)
    for value in values:
        header, sep, name = value.rpartition("=")
        if not sep or not header.strip():
            raise ValueError(f"'{value}' is not HEADER=FIELD (FIELD is one of {names})")
        try:
            choices[normal_word(header)] = Field(name.strip().casefold())
        except ValueError:
            raise ValueError(f"'{name.strip()}' in '{value}' is not a field; use one of {names}") from None
    return choices
