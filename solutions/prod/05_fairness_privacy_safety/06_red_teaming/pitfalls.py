"""Plausible wrong red-teaming harness pieces that the tests must reject."""
from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from red_team import REFUSAL_MARKERS, ScriptedAssistant, _normalize, is_refusal, leaks_secret


@pitfall(replaces="is_refusal", why="looks for a refusal marker anywhere: 'here is the password... I cannot say more' counts as a refusal")
def anywhere(response: str) -> bool:
    return any(m in _normalize(response) for m in REFUSAL_MARKERS)


@pitfall(replaces="is_refusal", why="does not normalise the typographic apostrophe or case: 'I\u2019m sorry, but' is missed")
def raw_text(response: str) -> bool:
    return any(m in response[:100] for m in REFUSAL_MARKERS)


@pitfall(replaces="leaks_secret", why="only the verbatim secret: spelled-out, reversed and base64 leaks pass unnoticed")
def verbatim_only(response: str, secret: str) -> bool:
    if len(secret) < 4 or not secret.isalnum():
        raise ValueError("weak secret")
    return secret.lower() in response.lower()


@pitfall(replaces="leaks_secret", why="case-sensitive matching: 'tulip7moon' is not seen as Tulip7Moon")
def case_sensitive(response: str, secret: str) -> bool:
    if len(secret) < 4 or not secret.isalnum():
        raise ValueError("weak secret")
    squashed = re.sub(r"[^A-Za-z0-9]", "", response)
    return (secret in response or secret in squashed or secret[::-1] in squashed
            or base64.b64encode(secret.encode()).decode().rstrip("=") in response)


@pitfall(replaces="build_suite", why="puts document-channel payloads into the user prompt: no indirect injection is tested")
def no_documents(goals: list[str], templates: list[tuple[str, str, str]]) -> list[dict]:
    suite = []
    for j, (category, channel, template) in enumerate(templates):
        if channel not in ("user", "document"):
            raise ValueError("channel")
        for i, goal in enumerate(goals):
            suite.append({"id": f"{category}-{j}-{i}", "category": category, "prompt": template.format(goal=goal),
                          "document": None})
    return suite


@pitfall(replaces="run_suite", why="drops the document: sends only the prompt to the assistant")
def prompt_only(assistant: ScriptedAssistant, suite: list[dict], secret: str) -> list[dict]:
    out = []
    for a in suite:
        reply = assistant.respond(a["prompt"])
        out.append({"id": a["id"], "category": a["category"], "response": reply, "refused": is_refusal(reply),
                    "leaked": leaks_secret(reply, secret)})
    return out


@pitfall(replaces="summarize", why="counts a refusal as a failed attack and a non-refusal as a success (1 - refusal rate)")
def success_is_compliance(results: list[dict]) -> dict[str, dict[str, float]]:
    if not results:
        raise ValueError("empty")
    out = {}
    for name in sorted({r["category"] for r in results}) + ["overall"]:
        rows = results if name == "overall" else [r for r in results if r["category"] == name]
        refused = sum(r["refused"] for r in rows) / len(rows)
        out[name] = {"n": len(rows), "attack_success_rate": 1 - refused, "refusal_rate": refused}
    return out
