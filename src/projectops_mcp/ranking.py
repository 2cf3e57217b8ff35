"""Ranking tools against a natural-language request, for `find_tools` in discovery mode.

BM25 over each tool's fields (name, title, description, parameter names, toolset; the name and title weigh
most), with the request widened by the words an ops person uses for the same things ("hours" -> time/timesheets,
"holiday" -> leave, "to-do" -> task, "client" -> company/client, ...), plus two nudges: the verb the request asks for
(add/log -> create, change -> update, show -> list/get, ...) and the backend it names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

FIELD_WEIGHTS = {"name": 4.0, "title": 2.0, "description": 1.0, "parameters": 0.5, "toolset": 1.0}
K1, B = 1.2, 0.75
NAME_BONUS = 1.0  # per request term found in the tool's name, times its idf: the name says what the tool is
SYNONYM_WEIGHT = 0.6

STOPWORDS = frozenset(
    "a an the and or of for to in on at by with from into about is are was were be been this that these those it its "
    "i me my we our you your he she they them their his her please can could would should will shall do does did "
    "some any all every each one ones how what which who whose when where there here as so than then just also "
    "need needs want wants like via per up out over off new".split()
)

# Phrases rewritten before splitting into words.
PHRASES = {
    r"\bto[\s-]?dos?\b": "task",
    r"\btask[\s-]lists?\b": "tasklist",
    r"\btime[\s-]?off\b": "leave",
    r"\btime[\s-]?sheets?\b": "timesheet",
    r"\btime[\s-]?cards?\b": "timesheet",
    r"\bbudget[\s-]lines?\b": "module",
    r"\bwho am i\b": "whoami",
    r"\bjob titles?\b": "role",
    r"\bsub[\s-]tasks?\b": "subtask",
    r"\bset up\b": "create",
}

# What people say -> the words the catalogue uses. Both sides are stemmed when the table is loaded.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "hour": ("time", "timesheet", "log"),
    "timesheet": ("time", "timesheet", "entry"),
    "worked": ("time", "log", "timesheet"),
    "holiday": ("leave",),
    "vacation": ("leave",),
    "pto": ("leave",),
    "sick": ("leave",),
    "absence": ("leave",),
    "absent": ("leave",),
    "allowance": ("leave", "balance"),
    "entitlement": ("leave", "balance"),
    "client": ("company", "client"),
    "customer": ("client", "company"),
    "account": ("client", "company"),
    "company": ("company", "client"),
    "staff": ("people", "user", "person"),
    "employee": ("user", "people", "person"),
    "colleague": ("people", "user", "person"),
    "member": ("people", "user", "person", "team"),
    "person": ("people", "user", "person"),
    "user": ("user", "people", "person"),
    "people": ("people", "person", "user"),
    "hire": ("create", "user", "person"),
    "onboard": ("create", "user", "person"),
    "job": ("project", "task"),
    "engagement": ("project",),
    "receipt": ("expense", "claim"),
    "reimbursement": ("expense", "claim"),
    "reimburse": ("expense", "claim"),
    "spend": ("expense",),
    "cost": ("expense", "budget", "rate"),
    "bill": ("invoice",),
    "billing": ("invoice",),
    "phase": ("module",),
    "workstream": ("module",),
    "stage": ("module", "milestone"),
    "allocation": ("resource", "resourcing", "assign"),
    "schedule": ("resource", "workload"),
    "capacity": ("workload", "resource", "posting"),
    "availability": ("workload",),
    "overbooked": ("workload",),
    "utilisation": ("workload",),
    "utilization": ("workload",),
    "busy": ("workload",),
    "deadline": ("milestone", "due"),
    "label": ("tag",),
    "note": ("comment",),
    "reply": ("comment",),
    "discussion": ("comment",),
    "attachment": ("file",),
    "document": ("file",),
    "alert": ("reminder",),
    "nudge": ("reminder",),
    "remind": ("reminder",),
    "attribute": ("custom", "field"),
    "position": ("role",),
    "seniority": ("role",),
    "employment": ("posting",),
    "contract": ("posting",),
    "kanban": ("board",),
    "portfolio": ("board", "portfolio"),
    "column": ("board",),
    "recent": ("activity", "latest"),
    "feed": ("activity",),
    "happened": ("activity",),
    "approve": ("status", "update"),
    "organisation": ("office",),
    "organization": ("office",),
    "branch": ("office",),
    "whoami": ("credential", "me"),
    "finish": ("complete",),
    "done": ("complete",),
    "close": ("complete", "inactive"),
    "tick": ("complete",),
    "undo": ("reopen",),
    "archive": ("update", "project", "inactive"),
    "timecode": ("task",),
    "rename": ("update",),
    "kind": ("type",),
    "deactivate": ("update", "active"),
    "who": ("people", "person"),
    "subtask": ("task", "parent"),
}

# Request verbs -> the verbs tool names start with.
INTENTS: dict[str, tuple[str, ...]] = {
    "create": ("create", "add", "log"),
    "add": ("create", "add", "log"),
    "new": ("create", "add"),
    "log": ("log", "create"),
    "record": ("log", "create"),
    "book": ("create", "log"),
    "submit": ("create",),
    "file": ("create",),
    "enter": ("create", "log"),
    "make": ("create",),
    "set": ("set", "update"),
    "assign": ("update", "set"),
    "change": ("update", "set"),
    "edit": ("update", "set"),
    "modify": ("update", "set"),
    "update": ("update", "set"),
    "fix": ("update",),
    "correct": ("update",),
    "rename": ("update",),
    "reassign": ("update",),
    "move": ("update",),
    "reschedule": ("update",),
    "replace": ("update", "set"),
    "delete": ("delete",),
    "remove": ("delete",),
    "cancel": ("delete",),
    "drop": ("delete",),
    "list": ("list",),
    "show": ("list",),
    "see": ("list",),
    "view": ("list",),
    "find": ("list", "search", "get"),
    "search": ("search",),
    "look": ("search", "list", "get"),
    "which": ("list",),
    "get": ("get", "list"),
    "fetch": ("get", "list"),
    "read": ("get", "list"),
    "detail": ("get",),
    "archive": ("update",),
    "complete": ("complete",),
    "reopen": ("reopen",),
}
# A question ("what/who/which/how ... ?") asks to read, whatever other verbs it contains.
QUESTIONS = frozenset({"what", "who", "which", "how", "when", "where", "whose", "is", "are", "does", "do"})
READ_VERBS = ("list", "search")
# Earlier words weigh more: "tasks of a module" is about tasks (each later word counts 10% less, down to 60%).
POSITION_DECAY, POSITION_FLOOR = 0.1, 0.6
ONE_RECORD = frozenset({"detail", "details", "one", "single", "id", "number"})
INTENT_BOOST = 1.5
NAME_COVERAGE = 0.3
VERB_AS_WORD_WEIGHT = 0.3
# Words after "in/of/for/on/under ..." name where the record is, not the record itself ("tasks of a module").
PREPOSITIONS = frozenset({"in", "into", "of", "for", "on", "under", "from", "within", "inside"})
QUALIFIER_FACTOR = 0.7
BACKENDS = {
    "teamwork": "teamwork",
    "tw": "teamwork",
    "projectworks": "projectworks",
    "pw": "projectworks",
    "unified": "unified",
}
OTHER_BACKEND_FACTOR = 0.4


def stem(word: str) -> str:
    """A small suffix stripper: enough to match 'timesheets'/'timesheet', 'logged'/'log', 'leaves'/'leave'."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            w = w[: -len(suffix)]
            if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def terms(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS]


_SYNONYMS = {stem(k): tuple(dict.fromkeys(stem(v) for v in vs)) for k, vs in SYNONYMS.items()}
_SPELLING = {stem(v): v for vs in SYNONYMS.values() for v in vs}  # to say "hours -> timesheet" in `why`
_INTENTS = {stem(k): v for k, v in INTENTS.items()}


def _qualifiers(text: str) -> set[str]:
    """Terms that follow a preposition (up to the next verb or preposition)."""
    found: set[str] = set()
    after = False
    for w in words(text):
        if w in PREPOSITIONS:
            after = True
        elif stem(w) in _INTENTS:
            after = False
        elif after and w not in STOPWORDS:
            found.add(stem(w))
    return found


@dataclass
class Document:
    name: str
    backend: str
    verb: str
    tf: Counter[str]
    length: float
    fields: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Match:
    name: str
    score: float
    why: str


class ToolIndex:
    """Built once per server from the enabled tools (anything with name, title, description, toolset, input_schema)."""

    def __init__(self, tools: Iterable[Any]):
        self.docs: list[Document] = []
        for t in tools:
            texts = {
                "name": " ".join(t.name.split("_")[2:]),  # the nouns; the verb is matched by intent
                "title": t.title,
                "description": t.description,
                "parameters": " ".join(" ".join(p.split("_")) for p in t.input_schema.get("properties", {})),
                "toolset": t.toolset.split(".", 1)[-1].replace("_", " "),
            }
            tf: Counter[str] = Counter()
            fields: dict[str, set[str]] = {}
            for name, text in texts.items():
                # a name's words all count ("get_me"); prose loses its stopwords
                found = [stem(w) for w in words(text)] if name == "name" else terms(text)
                fields[name] = set(found)
                for term in found:
                    tf[term] += FIELD_WEIGHTS[name]
            verb = t.name.split("_")[1]
            self.docs.append(Document(t.name, t.backend, verb, tf, sum(tf.values()), fields))
        n = len(self.docs) or 1
        self.avg_length = sum(d.length for d in self.docs) / n
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.tf.keys())
        self.idf = {term: math.log(1 + (n - c + 0.5) / (c + 0.5)) for term, c in df.items()}

    def search(self, query: str, limit: int = 5, backend: str | None = None) -> list[Match]:
        raw = query.lower()
        for pattern, replacement in PHRASES.items():
            raw = re.sub(pattern, replacement, raw)
        query_terms = terms(raw)
        qualifying = _qualifiers(raw)
        spelled = {stem(w): w for w in words(raw)}
        weights: dict[str, float] = {}
        origin: dict[str, str] = {}
        nouns = [t for t in query_terms if t not in _INTENTS and t not in BACKENDS]
        for term in query_terms:
            if term in _INTENTS:  # a verb ("add", "list", "show"): it picks the kind of tool, barely the record
                weight = VERB_AS_WORD_WEIGHT
            else:
                weight = max(POSITION_FLOOR, 1 - POSITION_DECAY * nouns.index(term)) if term in nouns else 1.0
                if term in qualifying:
                    weight *= QUALIFIER_FACTOR
            weights[term] = max(weights.get(term, 0.0), weight)
        for term in [stem(w) for w in words(raw)]:  # stopwords too: "who" -> people
            for synonym in _SYNONYMS.get(term, ()):
                if weights.get(synonym, 0.0) < SYNONYM_WEIGHT:
                    weights[synonym] = SYNONYM_WEIGHT
                    origin.setdefault(synonym, term)
        # The first verb says what to do ("add a to-do to the list": add, not list).
        first_verb = next((stem(w) for w in words(raw) if stem(w) in _INTENTS), None)
        intents = set(_INTENTS.get(first_verb, ())) if first_verb else set()
        if intents & {"list", "search"} and ONE_RECORD & set(words(raw)):
            intents.add("get")  # "show the details of client 42"
        if words(raw)[:1] and words(raw)[0] in QUESTIONS:
            intents = set(READ_VERBS)
        named_backends = {BACKENDS[w] for w in words(raw) if w in BACKENDS}
        matches = []
        for d in self.docs:
            if backend and d.backend != backend:
                continue
            score = 0.0
            hits: list[tuple[float, str]] = []
            norm = K1 * (1 - B + B * d.length / self.avg_length)
            for term, weight in weights.items():
                tf = d.tf.get(term)
                if not tf:
                    continue
                gain = weight * self.idf[term] * tf * (K1 + 1) / (tf + norm)
                if term in d.fields["name"]:
                    gain += weight * self.idf[term] * NAME_BONUS
                score += gain
                where = "/".join(f for f, found in d.fields.items() if term in found)
                if term in origin and weight <= SYNONYM_WEIGHT:
                    label = f"{spelled.get(origin[term], origin[term])} -> {_SPELLING.get(term, term)}"
                else:
                    label = spelled.get(term, term)
                hits.append((gain, f"{label} ({where})"))
            if score <= 0:
                continue
            name_terms = d.fields["name"]
            if name_terms:  # "task" fits create_task better than create_task_reminder
                score *= 1 + NAME_COVERAGE * len(name_terms & weights.keys()) / len(name_terms)
            if d.verb in intents:
                score *= INTENT_BOOST
            if named_backends and d.backend not in named_backends:
                score *= OTHER_BACKEND_FACTOR
            best = [text for _, text in sorted(hits, key=lambda h: -h[0])[:4]]
            matches.append(Match(d.name, score, "matched " + ", ".join(best)))
        matches.sort(key=lambda m: (-m.score, m.name))
        return matches[:limit]
