"""Keep only the CSS a report page can use (nbconvert's JupyterLab stylesheets are ~260 KB).

nbconvert's ``lab`` template inlines JupyterLab's whole stylesheet in every page: rules for the
notebook editor, widgets, dialogs and code cells a report never has, and about 300 ``--jp-*``
custom properties. :func:`prune_css` keeps, in their order:

* every rule one of whose selectors can match the page: a selector is dropped only when it
  names a class or an id that appears nowhere in the page (``class="…"`` and ``id="…"``
  attributes, and classes its scripts add with ``classList.add``). Element, attribute and
  pseudo-class parts are never used to drop a selector, nor what is inside ``:not()``,
  ``:is()``, ``:where()`` or ``:has()``. A kept rule keeps its whole selector list as written
  (a browser drops a whole rule for one selector it does not know, and must still do so);
* ``@media``/``@supports`` blocks that keep a rule; ``@keyframes`` that a kept declaration
  names; every other at-rule as it is (``@page``, ``@font-face``);
* the custom properties (``--name: …``) that a kept declaration, the page's own ``style``
  attributes or the ``extra`` CSS (the project's stylesheet) reads with ``var(--name)``,
  directly or through another custom property.

A dropped rule matches no element of the page, and a dropped custom property is read by
nothing, so the page looks the same; comments and runs of whitespace go too. The stylesheet is
parsed once per distinct text (tinycss2) and filtered per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["page_names", "prune_css"]

# (?i:…) on the name only and no look-behind: ten times faster (a longer name such as
# "subclass=" only keeps more rules).
_CLASS_ATTR = re.compile(r"""(?i:class)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_ID_ATTR = re.compile(r"""(?i:id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_CLASS_ADD = re.compile(r"""classList\.(?:add|toggle)\(\s*["']([^"']+)["']""")
_STYLE_ATTR = re.compile(r"""(?i:style)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_FUNCTIONS_IGNORED = {"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any"}


@dataclass
class _Declaration:
    text: str
    custom: str | None  # the custom property it defines, if any
    reads: frozenset[str]  # custom properties it reads


@dataclass
class _Rule:
    kind: str  # "style", "group" (@media/@supports), "keyframes", "other"
    prelude: str = ""
    selectors: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)
    declarations: list[_Declaration] = field(default_factory=list)
    children: list[_Rule] = field(default_factory=list)
    raw: str = ""  # keyframes/other: the whole rule; style rules with nested rules: the body
    name: str = ""  # keyframes name


def _text(tokens) -> str:
    """Serialized tokens, comments dropped and whitespace runs made one space."""
    import tinycss2

    parts = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            if parts and parts[-1] != " ":
                parts.append(" ")
            continue
        if token.type in ("() block", "[] block", "{} block", "function"):
            inner = _text(token.arguments if token.type == "function" else token.content)
            if token.type == "function":
                parts.append(f"{tinycss2.serializer.serialize_name(token.name)}({inner})")
            else:
                opening = token.type[0]
                parts.append(f"{opening}{inner}{')]}'['([{'.index(opening)]}")
            continue
        if token.type == "at-rule":
            prelude = _text(token.prelude)
            head = f"@{tinycss2.serializer.serialize_identifier(token.at_keyword)}"
            head += f" {prelude}" if prelude else ""
            parts.append(f"{head};" if token.content is None
                         else f"{head}{{{_text(token.content)}}}")
            continue
        parts.append(tinycss2.serialize([token]))
    return "".join(parts).strip()


def _requirements(tokens) -> tuple[frozenset[str], frozenset[str]]:
    """Classes and ids a compound selector list entry needs on the page."""
    classes, ids = set(), set()
    previous = None
    for token in tokens:
        if token.type == "ident" and previous is not None and previous.type == "literal" \
                and previous.value == ".":
            classes.add(token.value)
        elif token.type == "hash" and token.is_identifier:
            ids.add(token.value)
        elif token.type == "function" and token.lower_name not in _FUNCTIONS_IGNORED:
            inner_classes, inner_ids = _requirements(token.arguments)
            classes |= inner_classes
            ids |= inner_ids
        previous = token
    return frozenset(classes), frozenset(ids)


def _selectors(prelude) -> list[tuple[frozenset[str], frozenset[str]]]:
    groups: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            groups.append([])
        else:
            groups[-1].append(token)
    return [_requirements(group) for group in groups]


def _declarations(content) -> list[_Declaration] | None:
    """The declarations of a rule body, or ``None`` when it holds nested rules."""
    import tinycss2

    out = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True,
                                               skip_whitespace=True):
        if item.type == "error":
            continue  # the browser ignores it too
        if item.type != "declaration":
            return None
        value = _text(item.value)
        name = tinycss2.serializer.serialize_identifier(item.name)
        text = f"{name}:{value}" + ("!important" if item.important else "")
        custom = item.name if item.name.startswith("--") else None
        out.append(_Declaration(text, custom, frozenset(_VAR.findall(value))))
    return out


def _parse(rules) -> list[_Rule]:
    import tinycss2

    parsed: list[_Rule] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            declarations = _declarations(rule.content)
            item = _Rule("style", prelude=_text(rule.prelude), selectors=_selectors(rule.prelude))
            if declarations is None:
                item.raw = _text(rule.content)
            else:
                item.declarations = declarations
            parsed.append(item)
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword in ("media", "supports") and rule.content is not None:
                children = _parse(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                           skip_whitespace=True))
                parsed.append(_Rule("group", prelude=f"@{keyword} {_text(rule.prelude)}",
                                    children=children))
            elif keyword.endswith("keyframes"):
                names = [t.value for t in rule.prelude if t.type in ("ident", "string")]
                parsed.append(_Rule("keyframes", raw=_text([rule]),
                                    name=names[0] if names else ""))
            else:
                parsed.append(_Rule("other", raw=_text([rule])))
    return parsed


@lru_cache(maxsize=8)
def _parsed(css: str) -> tuple[_Rule, ...]:
    import tinycss2

    return tuple(_parse(tinycss2.parse_stylesheet(css, skip_comments=True,
                                                  skip_whitespace=True)))


def _value(match: re.Match) -> str:
    """An attribute's value, quoted or not."""
    return match.group(1) or match.group(2) or match.group(3) or ""


def page_names(html: str) -> tuple[frozenset[str], frozenset[str]]:
    """The class names and ids a page's elements have (or its scripts add).

    Parameters
    ----------
    html
        The page.

    Returns
    -------
    (frozenset of str, frozenset of str)
        Class names (from ``class`` attributes, quoted or not, and ``classList.add``) and ids.
    """
    classes: set[str] = set()
    for match in _CLASS_ATTR.finditer(html):
        classes.update(_value(match).split())
    classes.update(name for m in _CLASS_ADD.finditer(html) for name in m.group(1).split())
    ids = {_value(m).strip() for m in _ID_ATTR.finditer(html)}
    return frozenset(classes), frozenset(ids)


def _matches(rule: _Rule, classes: frozenset[str], ids: frozenset[str]) -> bool:
    return any(need_classes <= classes and need_ids <= ids
               for need_classes, need_ids in rule.selectors)


def _select(rules, classes, ids) -> list[_Rule]:
    kept = []
    for rule in rules:
        if rule.kind == "style":
            if _matches(rule, classes, ids):
                kept.append(rule)
        elif rule.kind == "group":
            children = _select(rule.children, classes, ids)
            if children:
                kept.append(_Rule("group", prelude=rule.prelude, children=children))
        else:
            kept.append(rule)
    return kept


def _walk(rules):
    for rule in rules:
        yield rule
        yield from _walk(rule.children)


def _serialize(rules, needed: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.kind == "group":
            inner = "".join(_serialize(rule.children, needed))
            if inner:
                out.append(f"{rule.prelude}{{{inner}}}")
        elif rule.kind == "style":
            if rule.raw:
                out.append(f"{rule.prelude}{{{rule.raw}}}")
                continue
            body = ";".join(d.text for d in rule.declarations
                            if d.custom is None or d.custom in needed)
            if body:
                out.append(f"{rule.prelude}{{{body}}}")
        else:
            out.append(rule.raw)
    return out


def prune_css(css: str, html: str, extra: str = "") -> str:
    """``css`` without the rules and custom properties that ``html`` cannot use.

    Parameters
    ----------
    css
        The stylesheet (nbconvert's JupyterLab CSS).
    html
        The page it styles (the whole page; only its attributes and scripts are looked at).
    extra
        Other CSS of the page, kept in full elsewhere, whose ``var(--…)`` must still resolve.

    Returns
    -------
    str
        The rules that can apply, in their order, minified.

    Examples
    --------
    >>> prune_css(":root{--a:1px;--b:2px}.x{margin:var(--a)}.y{color:red}",
    ...           '<p class="x">')
    ':root{--a:1px}\\n.x{margin:var(--a)}'
    """
    rules = _parsed(css)
    classes, ids = page_names(html)
    kept = _select(rules, classes, ids)
    # Custom properties read by what is kept, by the page's style attributes and by ``extra``.
    reads: set[str] = set(_VAR.findall(extra))
    for match in _STYLE_ATTR.finditer(html):
        reads.update(_VAR.findall(_value(match)))
    defines: dict[str, set[str]] = {}
    keyframes_text = []
    for rule in _walk(kept):
        if rule.kind == "style" and rule.raw:
            reads.update(_VAR.findall(rule.raw))
            keyframes_text.append(rule.raw)
        for declaration in rule.declarations:
            if declaration.custom is None:
                reads |= declaration.reads
                keyframes_text.append(declaration.text)
            else:
                defines.setdefault(declaration.custom, set()).update(declaration.reads)
    needed: set[str] = set()
    todo = list(reads)
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo.extend(defines.get(name, ()))
    used_text = " ".join(keyframes_text)
    kept = [rule for rule in kept if rule.kind != "keyframes"
            or (rule.name and re.search(rf"(?<![\w-]){re.escape(rule.name)}(?![\w-])",
                                        used_text))]
    return "\n".join(_serialize(kept, needed))
