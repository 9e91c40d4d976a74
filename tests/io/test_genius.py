"""Genius XML domains and profiles: agenda, normalised weights and scores, and one-line errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from summitry.analysis.negotiation import analyse_negotiation
from summitry.analysis.preferences import AdditiveProfile, Agenda
from summitry.errors import InputError
from summitry.io.genius import (
    MAX_INTEGER_VALUES,
    MAX_NAME,
    MAX_OPTIONS,
    MAX_PACKAGES,
    loads_genius,
    plan_from_genius,
    read_genius,
)

# A job-offer negotiation of our own: an employer and a candidate, two discrete issues.
JOB_DOMAIN = """\
<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
  <utility_space number_of_issues="2">
    <objective index="0" name="Job offer" type="objective" etype="objective">
      <issue name="Salary" index="1" type="discrete" etype="discrete" vtype="discrete">
        <item index="1" value="40k EUR"/>
        <item index="2" value="50k EUR"/>
        <item index="3" value="60k EUR"/>
      </issue>
      <issue name="Remote Work" index="2" type="discrete" etype="discrete" vtype="discrete">
        <item index="1" value="None"/>
        <item index="2" value="Two days"/>
        <item index="3" value="Full week"/>
      </issue>
    </objective>
  </utility_space>
</negotiation_template>
"""

EMPLOYER = """\
<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
  <objective index="0" name="Job offer" type="objective" etype="objective">
    <issue index="1" name="Salary">
      <item index="1" value="40k EUR" evaluation="8"/>
      <item index="2" value="50k EUR" evaluation="5"/>
      <item index="3" value="60k EUR" evaluation="2"/>
    </issue>
    <issue index="2" name="Remote Work">
      <item index="1" value="None" evaluation="4"/>
      <item index="2" value="Two days" evaluation="3"/>
      <item index="3" value="Full week" evaluation="1"/>
    </issue>
    <weight index="1" value="0.6"/>
    <weight index="2" value="0.2"/>
  </objective>
  <reservation value="0.4"/>
  <discount_factor value="0.9"/>
</utility_space>
"""

CANDIDATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
  <objective index="0" name="Job offer" type="objective" etype="objective">
    <issue index="2" name="Remote Work">
      <item index="1" value="None" evaluation="0"/>
      <item index="2" value="Two days" evaluation="5"/>
      <item index="3" value="Full week" evaluation="10"/>
    </issue>
    <issue index="1" name="Salary">
      <item index="1" value="40k EUR" evaluation="1"/>
      <item index="2" value="50k EUR" evaluation="3"/>
      <item index="3" value="60k EUR" evaluation="4"/>
    </issue>
    <weight index="2" value="1"/>
    <weight index="1" value="1"/>
  </objective>
</utility_space>
"""

# The same profiles worked out by hand: evaluation / issue maximum × 100, weight / sum × 100.
HAND_WEIGHTS = {
    "employer": {"salary": 75.0, "remote-work": 25.0},  # 0.6 / 0.8, 0.2 / 0.8
    "candidate": {"salary": 50.0, "remote-work": 50.0},  # 1 / 2, 1 / 2
}
HAND_SCORES = {
    "employer": {
        "salary": {"40k-eur": 100.0, "50k-eur": 62.5, "60k-eur": 25.0},  # 8, 5, 2 of 8
        "remote-work": {"none": 100.0, "two-days": 75.0, "full-week": 25.0},  # 4, 3, 1 of 4
    },
    "candidate": {
        "salary": {"40k-eur": 25.0, "50k-eur": 75.0, "60k-eur": 100.0},  # 1, 3, 4 of 4
        "remote-work": {"none": 0.0, "two-days": 50.0, "full-week": 100.0},  # 0, 5, 10 of 10
    },
}


def job() -> tuple[Agenda, list[AdditiveProfile]]:
    return loads_genius(
        JOB_DOMAIN,
        [("employer.xml", EMPLOYER), ("candidate.xml", CANDIDATE)],
        domain_source="job.xml",
    )


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle``."""
    return text[: text.index(needle)].count("\n") + 1


def error(domain: str, profiles: list[tuple[str, str]] | None = None) -> str:
    """The message of the InputError raised by reading these texts; it must be one line."""
    with pytest.raises(InputError) as caught:
        loads_genius(
            domain,
            profiles if profiles is not None else [("a.xml", EMPLOYER), ("b.xml", CANDIDATE)],
            domain_source="domain.xml",
        )
    message = str(caught.value)
    assert "\n" not in message
    return message


def profile_error(profile: str) -> str:
    return error(JOB_DOMAIN, [("bad.xml", profile), ("candidate.xml", CANDIDATE)])


# --- reading ------------------------------------------------------------------------------


def test_agenda_keeps_issue_order_with_slug_ids_and_original_labels() -> None:
    agenda, _ = job()
    assert agenda.issue_ids == ("salary", "remote-work")
    salary, remote = agenda.items
    assert salary.name == "Salary"
    assert salary.options == ("40k-eur", "50k-eur", "60k-eur")
    assert salary.labels == ("40k EUR", "50k EUR", "60k EUR")
    assert remote.name == "Remote Work"
    assert remote.options == ("none", "two-days", "full-week")
    assert remote.labels == ("None", "Two days", "Full week")


def test_weights_and_scores_are_normalised_as_computed_by_hand() -> None:
    _, profiles = job()
    assert [p.party for p in profiles] == ["employer", "candidate"]
    for profile in profiles:
        assert dict(profile.weights) == pytest.approx(HAND_WEIGHTS[profile.party])
        assert math.isclose(sum(profile.weights.values()), 100.0)
        for issue, table in HAND_SCORES[profile.party].items():
            assert dict(profile.scores[issue]) == pytest.approx(table)
    assert profiles[0].source == "employer.xml"


def test_reservation_value_becomes_points_and_defaults_to_zero() -> None:
    _, (employer, candidate) = job()
    assert employer.reservation_value == pytest.approx(40.0)
    assert candidate.reservation_value == 0.0


def test_frontier_equals_brute_force_over_every_package() -> None:
    agenda, profiles = job()
    analysis = analyse_negotiation(agenda, profiles)
    parties = ["employer", "candidate"]
    every: dict[tuple[str, str], tuple[float, ...]] = {}
    for salary in ("40k-eur", "50k-eur", "60k-eur"):
        for remote in ("none", "two-days", "full-week"):
            every[salary, remote] = tuple(
                HAND_WEIGHTS[p]["salary"] * HAND_SCORES[p]["salary"][salary] / 100
                + HAND_WEIGHTS[p]["remote-work"] * HAND_SCORES[p]["remote-work"][remote] / 100
                for p in parties
            )

    def dominated(u: tuple[float, ...]) -> bool:
        return any(
            all(b >= a for a, b in zip(u, v, strict=True)) and v != u for v in every.values()
        )

    expected = sorted(
        ((u, package) for package, u in every.items() if not dominated(u)), reverse=True
    )
    assert len(expected) == 5  # of 9 packages
    found = sorted(
        (
            (p.utilities, (p.package.as_dict()["salary"], p.package.as_dict()["remote-work"]))
            for p in analysis.frontier.points
        ),
        reverse=True,
    )
    assert [package for _, package in found] == [package for _, package in expected]
    for (got, _), (want, _) in zip(found, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-6)
    assert analysis.parties == ("employer", "candidate")


def test_read_genius_reads_files_and_names_parties_after_their_stems(tmp_path: Path) -> None:
    domain = tmp_path / "job.xml"
    domain.write_text(JOB_DOMAIN, encoding="utf-8")
    files = []
    for name, text in (("Employer-prof.xml", EMPLOYER), ("Candidate-prof.xml", CANDIDATE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    agenda, profiles = read_genius(domain, files)
    assert agenda.issue_ids == ("salary", "remote-work")
    assert [p.party for p in profiles] == ["Employer-prof", "Candidate-prof"]
    assert profiles[0].source == str(files[0])


def test_read_genius_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_genius(tmp_path / "job.xml", [tmp_path / "a.xml", tmp_path / "b.xml"])


# A profile that carries the full domain (issue types included) serves as the domain itself.
EMBEDDED = """\
<utility_space>
  <objective index="0" name="Job offer" type="objective">
    <issue name="Salary" index="1" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="40k EUR" evaluation="1"/>
      <item index="2" value="50k EUR" evaluation="1"/>
      <item index="3" value="60k EUR" evaluation="1"/>
    </issue>
    <issue name="Remote Work" index="2" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="None" evaluation="2"/>
      <item index="2" value="Two days" evaluation="1"/>
      <item index="3" value="Full week" evaluation="0"/>
    </issue>
    <weight index="1" value="0.5"/>
    <weight index="2" value="0.5"/>
  </objective>
  <reservation value="0.25"/>
</utility_space>
"""


def test_a_utility_space_root_and_embedded_domain_profiles_are_read() -> None:
    agenda, profiles = loads_genius(
        EMBEDDED, [("hr.xml", EMBEDDED), ("candidate.xml", CANDIDATE)], domain_source="hr.xml"
    )
    assert agenda == job()[0]
    hr = profiles[0]
    assert dict(hr.weights) == {"salary": 50.0, "remote-work": 50.0}
    assert dict(hr.scores["salary"]) == {"40k-eur": 100.0, "50k-eur": 100.0, "60k-eur": 100.0}
    assert dict(hr.scores["remote-work"]) == {"none": 100.0, "two-days": 50.0, "full-week": 0.0}
    assert hr.reservation_value == pytest.approx(25.0)


def test_issues_directly_under_utility_space_are_read() -> None:
    flat = EMBEDDED.replace('  <objective index="0" name="Job offer" type="objective">\n', "")
    flat = flat.replace("  </objective>\n", "")
    agenda, profiles = loads_genius(flat, [("x.xml", flat), ("y.xml", EMBEDDED)])
    assert agenda.issue_ids == ("salary", "remote-work")
    assert dict(profiles[0].weights) == dict(profiles[1].weights)


def test_weights_may_be_issue_attributes() -> None:
    profile = (
        EMPLOYER.replace(
            '<issue index="1" name="Salary">', '<issue index="1" name="Salary" weight="3">'
        )
        .replace(
            '<issue index="2" name="Remote Work">',
            '<issue index="2" name="Remote Work" weight="1">',
        )
        .replace('    <weight index="1" value="0.6"/>\n    <weight index="2" value="0.2"/>\n', "")
    )
    _, profiles = loads_genius(JOB_DOMAIN, [("a.xml", profile), ("b.xml", CANDIDATE)])
    assert dict(profiles[0].weights) == pytest.approx({"salary": 75.0, "remote-work": 25.0})


def test_an_issue_the_profile_leaves_out_weighs_nothing() -> None:
    start = EMPLOYER.index('    <issue index="2"')
    end = EMPLOYER.index("    <weight")
    profile = EMPLOYER[:start] + EMPLOYER[end:].replace('<weight index="2" value="0.2"/>', "")
    _, profiles = loads_genius(JOB_DOMAIN, [("a.xml", profile), ("b.xml", CANDIDATE)])
    assert dict(profiles[0].weights) == {"salary": 100.0, "remote-work": 0.0}
    assert "remote-work" not in profiles[0].scores
    # A zero weight for the missing issue is the same thing.
    zero = EMPLOYER[:start] + EMPLOYER[end:].replace('value="0.2"', 'value="0"')
    _, profiles = loads_genius(JOB_DOMAIN, [("a.xml", zero), ("b.xml", CANDIDATE)])
    assert dict(profiles[0].weights) == {"salary": 100.0, "remote-work": 0.0}


def test_issue_whose_evaluations_are_all_zero_scores_zero() -> None:
    profile = (
        EMPLOYER.replace('evaluation="4"', 'evaluation="0"')
        .replace('evaluation="3"', 'evaluation="0"')
        .replace('evaluation="1"', 'evaluation="0"')
    )
    _, profiles = loads_genius(JOB_DOMAIN, [("a.xml", profile), ("b.xml", CANDIDATE)])
    assert set(profiles[0].scores["remote-work"].values()) == {0.0}


def test_colliding_slugs_get_numbered() -> None:
    domain = """\
<utility_space><objective>
  <issue name="Size" index="1"><item value="Big"/><item value="big!"/><item value="BIG?"/></issue>
  <issue name="size" index="2"><item value="x"/></issue>
</objective></utility_space>
"""
    profile = """\
<utility_space><objective>
  <issue name="Size" index="1">
    <item value="Big" evaluation="1"/><item value="big!" evaluation="2"/>
    <item value="BIG?" evaluation="4"/>
  </issue>
  <issue name="size" index="2"><item value="x" evaluation="1"/></issue>
  <weight index="1" value="1"/><weight index="2" value="1"/>
</objective></utility_space>
"""
    agenda, profiles = loads_genius(domain, [("a.xml", profile), ("b.xml", profile)])
    assert agenda.issue_ids == ("size", "size-2")
    assert agenda.items[0].options == ("big", "big-2", "big-3")
    assert dict(profiles[0].scores["size"]) == {"big": 25.0, "big-2": 50.0, "big-3": 100.0}


# --- integer issues -----------------------------------------------------------------------

HOLIDAY_DOMAIN = """\
<negotiation_template>
  <utility_space>
    <objective index="0" name="Holiday">
      <issue name="Destination" index="1" type="discrete">
        <item index="1" value="Beach"/>
        <item index="2" value="Mountains"/>
      </issue>
      <issue name="Nights" index="2" type="integer" etype="integer" vtype="integer"
             lowerbound="3" upperbound="7"/>
    </objective>
  </utility_space>
</negotiation_template>
"""


def holiday_profile(nights: str, destination: tuple[str, str] = ("1", "1")) -> str:
    return f"""\
<utility_space>
  <objective index="0" name="Holiday">
    <issue index="1" name="Destination" type="discrete">
      <item index="1" value="Beach" evaluation="{destination[0]}"/>
      <item index="2" value="Mountains" evaluation="{destination[1]}"/>
    </issue>
    <issue index="2" name="Nights" type="integer" lowerbound="3" upperbound="7">
      {nights}
    </issue>
    <weight index="1" value="0.5"/>
    <weight index="2" value="0.5"/>
  </objective>
</utility_space>
"""


def holiday(*nights: str) -> tuple[Agenda, list[AdditiveProfile]]:
    return loads_genius(
        HOLIDAY_DOMAIN,
        [(f"p{k}.xml", holiday_profile(n)) for k, n in enumerate(nights)],
        domain_source="holiday.xml",
    )


def test_integer_issue_is_enumerated() -> None:
    agenda, _ = holiday(*['<evaluator ftype="linear" slope="0.25" offset="0"/>'] * 2)
    nights = agenda.item("nights")
    assert nights.options == ("3", "4", "5", "6", "7")
    assert nights.labels == ("3", "4", "5", "6", "7")
    assert nights.name == "Nights"


def test_linear_evaluators_follow_genius() -> None:
    # Genius evaluates offset + slope × (value − lowerbound), clipped to 0–1.
    _, (up, down, clipped, negmas_style) = holiday(
        '<evaluator ftype="linear" slope="0.25" offset="0"/>',
        '<evaluator ftype="linear" slope="-0.2" offset="1.0"/>',
        '<evaluator ftype="linear" slope="0.5" offset="0.2"/>',
        '<evaluator ftype="linear" parameter0="0.5" parameter1="-0.5"/>',
    )
    assert dict(up.scores["nights"]) == pytest.approx(
        {"3": 0.0, "4": 25.0, "5": 50.0, "6": 75.0, "7": 100.0}
    )
    assert dict(down.scores["nights"]) == pytest.approx(
        {"3": 100.0, "4": 80.0, "5": 60.0, "6": 40.0, "7": 20.0}
    )
    assert dict(clipped.scores["nights"]) == pytest.approx(
        {"3": 20.0, "4": 70.0, "5": 100.0, "6": 100.0, "7": 100.0}
    )
    assert dict(negmas_style.scores["nights"]) == pytest.approx(
        {"3": 50.0, "4": 0.0, "5": 0.0, "6": 0.0, "7": 0.0}
    )


def test_integer_issue_may_be_scored_by_items() -> None:
    items = "".join(f'<item value="{v}" evaluation="{v - 3}"/>' for v in range(3, 8))
    _, (profile, _) = holiday(items, '<evaluator ftype="linear" slope="0.25" offset="0"/>')
    assert dict(profile.scores["nights"]) == pytest.approx(
        {"3": 0.0, "4": 25.0, "5": 50.0, "6": 75.0, "7": 100.0}
    )


def test_integer_bounds_in_a_range_element_and_negative_values() -> None:
    domain = """\
<utility_space><objective>
  <issue name="Shift" index="1" type="integer"><range lowerbound="-2" upperbound="1"/></issue>
</objective></utility_space>
"""
    profile = """\
<utility_space><objective>
  <issue name="Shift" index="1" type="integer">
    <evaluator ftype="linear" slope="0.25" offset="0.25"/>
  </issue>
  <weight index="1" value="1"/>
</objective></utility_space>
"""
    agenda, (first, _) = loads_genius(domain, [("a.xml", profile), ("b.xml", profile)])
    assert agenda.items[0].options == ("minus-2", "minus-1", "0", "1")
    assert agenda.items[0].labels == ("-2", "-1", "0", "1")
    assert dict(first.scores["shift"]) == pytest.approx(
        {"minus-2": 25.0, "minus-1": 50.0, "0": 75.0, "1": 100.0}
    )


def test_integer_issue_analysis_runs() -> None:
    agenda, profiles = holiday(
        '<evaluator ftype="linear" slope="0.25" offset="0"/>',
        '<evaluator ftype="linear" slope="-0.2" offset="1.0"/>',
    )
    analysis = analyse_negotiation(agenda, profiles)
    assert analysis.space_size == 10
    assert len(analysis.frontier) >= 1


# --- one-line errors ----------------------------------------------------------------------


def test_not_xml_names_file_and_line() -> None:
    broken = JOB_DOMAIN.replace('<item index="2" value="50k EUR"/>', '<item index="2" value=50k>')
    message = error(broken)
    assert message.startswith(f"domain.xml:{line_of(broken, 'value=50k')}: not a Genius XML file")


def test_leading_blank_lines_keep_line_numbers() -> None:
    broken = "\n\n" + JOB_DOMAIN.replace("</objective>", "</objectiv>")
    assert error(broken).startswith(f"domain.xml:{line_of(broken, '</objectiv>')}: ")


def test_plain_text_is_not_xml() -> None:
    assert error("salary: 40k\n").startswith("domain.xml:1: not a Genius XML file")


def test_wrong_root_element() -> None:
    message = error("<domain/>")
    assert message == (
        "domain.xml:1: the root element is <domain>; a Genius file starts with "
        "<negotiation_template> or <utility_space>"
    )


def test_missing_objective_and_issues() -> None:
    assert error("<negotiation_template/>") == (
        "domain.xml:1: <negotiation_template> has no <utility_space> element"
    )
    assert error("<utility_space>\n  <reservation value='0'/>\n</utility_space>") == (
        "domain.xml:1: no <objective> element holding the issues"
    )
    assert error("<utility_space>\n  <objective/>\n</utility_space>") == (
        "domain.xml:2: the objective has no <issue> elements"
    )
    nested = "<utility_space><objective>\n<objective/><issue name='a'/></objective></utility_space>"
    assert error(nested) == "domain.xml:2: nested objectives are not supported"


def test_bad_domain_issues() -> None:
    no_items = (
        "<utility_space><objective>\n<issue name='Salary' index='1'/></objective></utility_space>"
    )
    assert error(no_items) == "domain.xml:2: issue 'Salary' has no <item> values"
    twice = JOB_DOMAIN.replace('value="50k EUR"', 'value="40k EUR"')
    at = line_of(twice, 'index="2" value="40k')
    assert error(twice) == f"domain.xml:{at}: issue 'Salary' lists item '40k EUR' twice"
    same_issue = JOB_DOMAIN.replace('name="Remote Work"', 'name="Salary"')
    assert error(same_issue).endswith("issue 'Salary' appears twice")
    unnamed = (
        "<utility_space><objective>\n<issue index='1'><item value='a'/></issue>"
        "</objective></utility_space>"
    )
    assert error(unnamed) == "domain.xml:2: an <issue> has no name"
    odd = "<utility_space><objective>\n<issue name='a' type='set'/></objective></utility_space>"
    assert error(odd) == (
        "domain.xml:2: issue 'a' has type 'set'; Genius issues are discrete, integer or real"
    )


def test_real_issue_is_refused() -> None:
    real = HOLIDAY_DOMAIN.replace('type="integer" etype="integer" vtype="integer"', 'type="real"')
    message = error(real)
    assert message == (
        f"domain.xml:{line_of(real, 'Nights')}: real-valued issue 'Nights' is not "
        "supported; discretise it"
    )


def test_integer_issue_limits() -> None:
    wide = HOLIDAY_DOMAIN.replace('upperbound="7"', f'upperbound="{3 + MAX_INTEGER_VALUES}"')
    message = error(wide)
    at = line_of(wide, "Nights")
    assert message.startswith(f"domain.xml:{at}: integer issue 'Nights' has 1,001 values")
    assert "at most 1,000" in message
    at_limit = HOLIDAY_DOMAIN.replace('upperbound="7"', f'upperbound="{2 + MAX_INTEGER_VALUES}"')
    evaluator = '<evaluator ftype="linear" slope="0.001" offset="0"/>'
    profile = holiday_profile(evaluator).replace(
        'upperbound="7"', f'upperbound="{2 + MAX_INTEGER_VALUES}"'
    )
    agenda, _ = loads_genius(at_limit, [("a.xml", profile), ("b.xml", profile)])
    assert len(agenda.item("nights").options) == MAX_INTEGER_VALUES
    unbounded = HOLIDAY_DOMAIN.replace('upperbound="7"', "")
    assert error(unbounded).endswith("integer issue 'Nights' needs a lowerbound and an upperbound")
    backwards = HOLIDAY_DOMAIN.replace('upperbound="7"', 'upperbound="1"')
    assert error(backwards).endswith("integer issue 'Nights' has lowerbound 3 above upperbound 1")
    fractional = HOLIDAY_DOMAIN.replace('upperbound="7"', 'upperbound="7.5"')
    assert error(fractional).endswith("issue 'Nights': 'upperbound' is '7.5', not a whole number")


def test_profile_issue_not_in_domain() -> None:
    bad = EMPLOYER.replace('name="Remote Work"', 'name="Remote Wrok"')
    assert profile_error(bad) == (
        f"bad.xml:{line_of(bad, 'Remote Wrok')}: issue 'Remote Wrok' is not in the domain "
        "(did you mean 'Remote Work'?)"
    )


def test_item_not_in_domain_names_file_and_line() -> None:
    bad = EMPLOYER.replace('value="50k EUR"', 'value="Cheap"')
    assert profile_error(bad) == (
        f"bad.xml:{line_of(bad, 'Cheap')}: issue 'Salary' has no item 'Cheap' of the domain"
    )


def test_item_left_without_evaluation() -> None:
    bad = EMPLOYER.replace('      <item index="2" value="50k EUR" evaluation="5"/>\n', "")
    assert profile_error(bad) == (
        f"bad.xml:{line_of(bad, 'Salary')}: issue 'Salary' gives no evaluation for item '50k EUR'"
    )
    missing = EMPLOYER.replace('value="50k EUR" evaluation="5"', 'value="50k EUR"')
    assert profile_error(missing) == (
        f"bad.xml:{line_of(missing, '50k')}: issue 'Salary' item '50k EUR' has no "
        "'evaluation' attribute"
    )


def test_bad_evaluations() -> None:
    negative = EMPLOYER.replace('evaluation="5"', 'evaluation="-5"')
    assert profile_error(negative) == (
        f"bad.xml:{line_of(negative, '-5')}: issue 'Salary' item '50k EUR' has evaluation -5; "
        "evaluations cannot be negative"
    )
    words = EMPLOYER.replace('evaluation="5"', 'evaluation="five"')
    assert profile_error(words) == (
        f"bad.xml:{line_of(words, 'five')}: issue 'Salary' item '50k EUR': 'evaluation' is "
        "'five', not a finite number"
    )
    infinite = EMPLOYER.replace('evaluation="5"', 'evaluation="inf"')
    assert "not a finite number" in profile_error(infinite)
    twice = EMPLOYER.replace('value="50k EUR"', 'value="40k EUR"')
    assert profile_error(twice).endswith("issue 'Salary' evaluates item '40k EUR' twice")


def test_weights_all_zero_or_missing() -> None:
    zero = EMPLOYER.replace('value="0.6"', 'value="0"').replace('value="0.2"', 'value="0.0"')
    assert profile_error(zero) == f"bad.xml:{line_of(zero, '<objective')}: every issue weight is 0"
    none = EMPLOYER.replace(
        '    <weight index="1" value="0.6"/>\n    <weight index="2" value="0.2"/>\n', ""
    )
    assert profile_error(none) == (
        f"bad.xml:{line_of(none, '<objective')}: no issue weights; give "
        "<weight index=.. value=..> elements"
    )


def test_bad_weights() -> None:
    partial = EMPLOYER.replace('    <weight index="2" value="0.2"/>\n', "")
    assert profile_error(partial) == (
        f"bad.xml:{line_of(partial, 'Remote Work')}: issue 'Remote Work' has no weight"
    )
    negative = EMPLOYER.replace('value="0.2"', 'value="-0.2"')
    assert profile_error(negative) == (
        f"bad.xml:{line_of(negative, '-0.2')}: issue 'Remote Work' has weight -0.2; "
        "weights cannot be negative"
    )
    stray = EMPLOYER.replace('<weight index="2"', '<weight index="5"')
    at = line_of(stray, 'index="5"')
    assert profile_error(stray) == f"bad.xml:{at}: <weight> index 5 matches no issue"
    doubled = EMPLOYER.replace('<weight index="2" value="0.2"/>', '<weight index="1" value="0.2"/>')
    assert profile_error(doubled).endswith("issue 'Salary' has two weights")
    start = EMPLOYER.index('    <issue index="2"')
    end = EMPLOYER.index("    <weight")
    unscored = EMPLOYER[:start] + EMPLOYER[end:]
    assert profile_error(unscored) == (
        f"bad.xml:{line_of(unscored, '0.2')}: issue 'Remote Work' has weight 0.2 but no evaluations"
    )


def test_bad_reservation_value() -> None:
    high = EMPLOYER.replace('<reservation value="0.4"/>', '<reservation value="40"/>')
    assert profile_error(high) == (
        f"bad.xml:{line_of(high, '<reservation')}: the reservation value is 40; "
        "Genius reservation values run 0–1"
    )


def test_bad_evaluators() -> None:
    discrete = EMPLOYER.replace(
        '<item index="1" value="None" evaluation="4"/>',
        '<evaluator ftype="linear" slope="1" offset="0"/>',
    )
    assert profile_error(discrete).endswith(
        "issue 'Remote Work' is discrete in the domain; give <item evaluation=..> values, "
        "not an evaluator"
    )
    quadratic = holiday_profile('<evaluator ftype="quadratic" parameter0="0"/>')
    message = error(HOLIDAY_DOMAIN, [("q.xml", quadratic), ("b.xml", quadratic)])
    assert message == (
        f"q.xml:{line_of(quadratic, '<evaluator')}: issue 'Nights' has an evaluator of ftype "
        "'quadratic'; only 'linear' is supported"
    )
    no_slope = holiday_profile('<evaluator ftype="linear" offset="0"/>')
    assert error(HOLIDAY_DOMAIN, [("s.xml", no_slope), ("b.xml", no_slope)]) == (
        f"s.xml:{line_of(no_slope, '<evaluator')}: issue 'Nights' evaluator has no "
        "'slope' attribute"
    )
    nothing = holiday_profile("")
    assert error(HOLIDAY_DOMAIN, [("n.xml", nothing), ("b.xml", nothing)]) == (
        f"n.xml:{line_of(nothing, 'Nights')}: issue 'Nights' has no <item> evaluations"
    )
    shifted = holiday_profile('<evaluator ftype="linear" slope="1" offset="0"/>').replace(
        'lowerbound="3"', 'lowerbound="1"'
    )
    assert error(HOLIDAY_DOMAIN, [("r.xml", shifted), ("b.xml", shifted)]).endswith(
        "issue 'Nights' has bounds 1 to 7 here but 3 to 7 in the domain"
    )


def test_hyper_rectangle_profiles_are_refused() -> None:
    rect = EMPLOYER.replace('<weight index="1"', '<utility_function/><weight index="1"')
    assert profile_error(rect).endswith(
        "hyper-rectangle <utility_function> profiles are not supported"
    )


def test_fewer_than_two_profiles() -> None:
    assert error(JOB_DOMAIN, [("a.xml", EMPLOYER)]) == (
        "domain.xml: 1 profile given; a negotiation needs at least 2"
    )
    assert error(JOB_DOMAIN, []) == "domain.xml: 0 profiles given; a negotiation needs at least 2"


def test_two_profiles_for_one_party() -> None:
    message = error(JOB_DOMAIN, [("a/boss.xml", EMPLOYER), ("b/boss.xml", CANDIDATE)])
    assert message == (
        "b/boss.xml: party 'boss' already has a profile (a/boss.xml); rename one of the files"
    )


def test_profile_parse_error_names_the_profile() -> None:
    broken = EMPLOYER.replace("</objective>", "")
    message = profile_error(broken)
    assert message.startswith("bad.xml:")
    assert "not a Genius XML file" in message


def test_negotiate_command_reads_genius_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from summitry.cli import main

    domain = tmp_path / "job.xml"
    domain.write_text(JOB_DOMAIN, encoding="utf-8")
    employer = tmp_path / "employer.xml"
    employer.write_text(EMPLOYER, encoding="utf-8")
    candidate = tmp_path / "candidate.xml"
    candidate.write_text(CANDIDATE, encoding="utf-8")
    code = main(["negotiate", "--genius", str(domain), str(employer), str(candidate), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    assert document["parties"] == ["employer", "candidate"]
    agenda, profiles = read_genius(domain, [employer, candidate])
    analysis = analyse_negotiation(agenda, profiles)
    assert document["fair"]["nash"]["package"] == analysis.nash.package.as_dict()  # type: ignore[union-attr]
    code = main(["negotiate", "--genius", str(domain), str(employer)])
    assert code == 2
    assert "at least two profiles" in capsys.readouterr().err


# --- numbers, names and sizes a fuzzer found -----------------------------------------------


def two_issue_domain(
    first: list[str], second: list[str], names: tuple[str, str] = ("A", "B")
) -> str:
    def issue(index: int, name: str, values: list[str]) -> str:
        items = "".join(f'<item value="{v}"/>' for v in values)
        return f'<issue name="{name}" index="{index}">{items}</issue>\n'

    return (
        "<utility_space><objective>\n"
        + issue(1, names[0], first)
        + issue(2, names[1], second)
        + "</objective></utility_space>\n"
    )


def two_issue_profile(
    first: dict[str, str],
    second: dict[str, str],
    weights: tuple[str, str] = ("1", "1"),
    names: tuple[str, str] = ("A", "B"),
) -> str:
    def issue(index: int, name: str, evaluations: dict[str, str]) -> str:
        items = "".join(f'<item value="{v}" evaluation="{e}"/>' for v, e in evaluations.items())
        return f'<issue name="{name}" index="{index}">{items}</issue>\n'

    return (
        "<utility_space><objective>\n"
        + issue(1, names[0], first)
        + issue(2, names[1], second)
        + f'<weight index="1" value="{weights[0]}"/><weight index="2" value="{weights[1]}"/>\n'
        + "</objective></utility_space>\n"
    )


@pytest.mark.parametrize("top", ["0.123", "1e-300", "3", "123456789.123"])
def test_the_best_evaluation_scores_exactly_100_and_the_plan_accepts_it(top: str) -> None:
    # 100 × 0.123 / 0.123 is 100.00000000000001 in floats, which the plan refused (exit 1).
    domain = two_issue_domain(["x", "y"], ["p", "q"])
    profile = two_issue_profile({"x": top, "y": "0"}, {"p": "0", "q": top}, weights=(top, top))
    agenda, profiles = loads_genius(domain, [("north.xml", profile), ("south.xml", profile)])
    assert profiles[0].scores["a"]["x"] == 100.0
    assert profiles[0].weights == {"a": 50.0, "b": 50.0}
    plan = plan_from_genius(agenda, profiles)
    assert plan.positions["north-profile"].issues["b"].scores["q"] == 100.0


@pytest.mark.parametrize(
    ("where", "raw"),
    [("evaluation", "1e308"), ("evaluation", "1e13"), ("weight", "1e308"), ("weight", "-1e300")],
)
def test_absurd_numbers_are_refused_naming_file_line_and_element(where: str, raw: str) -> None:
    domain = two_issue_domain(["x", "y"], ["p", "q"])
    evaluation = raw if where == "evaluation" else "1"
    weight = raw if where == "weight" else "1"
    profile = two_issue_profile(
        {"x": evaluation, "y": "0"}, {"p": "0", "q": "1"}, weights=(weight, weight)
    )
    message = error(domain, [("big.xml", profile), ("b.xml", profile)])
    element = "issue 'A' item 'x': 'evaluation'" if where == "evaluation" else "the weight of"
    line = line_of(profile, raw)
    assert message.startswith(f"big.xml:{line}: {element}")
    assert f"is '{raw}'; numbers larger than 1e+12 are refused" in message
    # 10^12 itself is still a number.
    ok = profile.replace(raw, "1e12")
    loads_genius(domain, [("a.xml", ok), ("b.xml", ok)])


def test_long_names_are_cut_and_their_ids_stay_plan_ids() -> None:
    long = "Transfer of territory and " + "very " * 80 + "long"
    other = long[:-4] + "longer"  # the same first 80 characters, so the same slug
    domain = two_issue_domain([long, "b"], ["p", "q"], names=(long, other))
    profile = two_issue_profile({long: "1", "b": "0"}, {"p": "0", "q": "1"}, names=(long, other))
    party = "Delegation " * 40 + ".xml"
    agenda, profiles = loads_genius(domain, [(party, profile), ("b.xml", profile)])
    first, second = agenda.items
    assert first.name.endswith("…")
    assert len(first.name) == MAX_NAME
    assert first.labels[0].endswith("…")
    assert len(first.labels[0]) == MAX_NAME
    assert len(profiles[0].party) == MAX_NAME
    assert first.id != second.id
    assert all(len(iid) <= 80 for iid in agenda.issue_ids)
    # The plan accepts all of it (the 400-character names gave a many-line pydantic dump).
    plan = plan_from_genius(agenda, profiles)
    assert all(len(pid) <= 80 for pid in [*plan.parties, *plan.positions])


def test_profiles_whose_names_give_one_id_are_distinct_parties(tmp_path: Path) -> None:
    domain = tmp_path / "job.xml"
    domain.write_text(JOB_DOMAIN, encoding="utf-8")
    files = []
    for name, text in (("Buyer.xml", EMPLOYER), ("buyer.xml", CANDIDATE), ("Bùyer.xml", CANDIDATE)):
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    plan = plan_from_genius(*read_genius(domain, files))
    assert {pid: party.name for pid, party in plan.parties.items()} == {
        "buyer": "Buyer",
        "buyer-2": "buyer",
        "buyer-3": "Bùyer",
    }
    assert {p.held_by for p in plan.positions.values()} == {"buyer", "buyer-2", "buyer-3"}


def test_party_ids_keep_clear_of_issue_ids() -> None:
    # An issue named like a party (or its position) would share a plan id with it.
    renamed = JOB_DOMAIN.replace('name="Salary"', 'name="Salary profile"')
    employer = EMPLOYER.replace('name="Salary"', 'name="Salary profile"')
    candidate = CANDIDATE.replace('name="Salary"', 'name="Salary profile"')
    agenda, profiles = loads_genius(renamed, [("salary.xml", employer), ("c.xml", candidate)])
    plan = plan_from_genius(agenda, profiles)
    assert "salary-profile" in plan.issues
    assert set(plan.parties) == {"salary", "c"}
    assert set(plan.positions) == {"salary-profile-2", "c-profile"}


def test_names_that_are_only_the_same_once_cut_are_refused_naming_both_files() -> None:
    stem = "x" * 200
    message = error(JOB_DOMAIN, [(f"{stem}a.xml", EMPLOYER), (f"{stem}b.xml", CANDIDATE)])
    assert message.startswith(f"{stem}b.xml: party 'xxx")
    assert f"(its file name cut to {MAX_NAME} characters) already has a profile ({stem}a.xml)" in (
        message
    )


def test_what_the_plan_still_refuses_is_one_line_naming_the_profile() -> None:
    agenda, (employer, candidate) = job()
    broken = AdditiveProfile(
        employer.party,
        employer.weights,
        {**employer.scores, "salary": {"40k-eur": 150.0}},
        source="employer.xml",
    )
    with pytest.raises(InputError) as caught:
        plan_from_genius(agenda, [broken, candidate])
    message = str(caught.value)
    assert message.startswith("employer.xml: positions.employer-profile.issues.salary.scores")
    assert "\n" not in message


def test_a_domain_of_too_many_packages_is_refused_with_the_limits() -> None:
    def integers(count: int) -> str:
        issues = "".join(
            f'<issue name="{n}" index="{i}" type="integer" lowerbound="1" upperbound="1000"/>'
            for i, n in enumerate("XYZ"[:count], start=1)
        )
        return f"<utility_space>\n<objective>{issues}</objective></utility_space>"

    # Two opposed issues of 1 to 1,000 ran for minutes; three ran out of memory.
    assert error(integers(2)) == (
        "domain.xml:2: the domain has 1,000,000 packages (1,000 × 1,000 options); at most "
        f"{MAX_PACKAGES:,} can be analysed, so merge options or narrow integer ranges"
    )
    assert "1,000,000,000 packages (1,000 × 1,000 × 1,000 options)" in error(integers(3))
    half = integers(2).replace(
        'upperbound="1000"/><issue name="Y"', 'upperbound="500"/><issue name="Y"'
    )
    evaluator = '<evaluator ftype="linear" slope="0.001" offset="0"/>'
    profile = (
        "<utility_space><objective>"
        f'<issue name="X" index="1" type="integer">{evaluator}</issue>'
        f'<issue name="Y" index="2" type="integer">{evaluator}</issue>'
        '<weight index="1" value="1"/><weight index="2" value="1"/>'
        "</objective></utility_space>"
    )
    agenda, _ = loads_genius(half, [("a.xml", profile), ("b.xml", profile)])
    assert agenda.size == MAX_PACKAGES
    many = two_issue_domain([f"v{k}" for k in range(MAX_OPTIONS + 1)], ["p", "q"])
    assert error(many).endswith(
        f"issue 'A' has 1,001 items; an issue may have at most {MAX_OPTIONS:,} options, "
        "so merge some"
    )


def test_a_zero_sum_genius_domain_ties_every_package_for_max_welfare() -> None:
    # The other side's evaluations are 1 − ours, the weights the same (and not whole points):
    # every package is worth exactly 100 points in total, and they all tie.
    ours = {"x": "0", "y": "0.3", "z": "0.55", "w": "1"}
    theirs = {v: repr(1 - float(e)) for v, e in ours.items()}
    domain = two_issue_domain(list(ours), list(ours), names=("A", "B"))
    a = two_issue_profile(ours, ours, weights=("0.337", "1.234"))
    b = two_issue_profile(theirs, theirs, weights=("0.337", "1.234"))
    agenda, profiles = loads_genius(domain, [("a.xml", a), ("b.xml", b)])
    welfare = analyse_negotiation(agenda, profiles).max_welfare
    assert welfare.value == 100.0
    assert welfare.package_count == agenda.size == 16
    assert len(welfare.points) == len({point.utilities for point in welfare.points})


@pytest.mark.parametrize(
    "case",
    ["top", "overflow", "long-issue", "same-id", "too-large"],
)
def test_the_fuzzer_cases_exit_2_with_one_line_through_the_cli(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from summitry.cli import main

    domain_text = two_issue_domain(["x", "y"], ["p", "q"])
    first = two_issue_profile({"x": "0.123", "y": "0"}, {"p": "0", "q": "0.123"})
    second = two_issue_profile({"x": "0", "y": "0.123"}, {"p": "0.123", "q": "0"})
    names = ["a.xml", "b.xml"]
    expected = 0
    if case == "overflow":
        first = first.replace('value="1"/>', 'value="1e308"/>')
        expected = 2
    elif case == "long-issue":
        long = "Issue " * 70
        domain_text = domain_text.replace('name="A"', f'name="{long}"')
        first, second = (t.replace('name="A"', f'name="{long}"') for t in (first, second))
    elif case == "same-id":
        names = ["Buyer.xml", "buyer.xml"]
    elif case == "too-large":
        wide = '<issue name="{}" index="{}" type="integer" lowerbound="1" upperbound="1000"/>'
        issues = wide.format("X", 1) + wide.format("Y", 2)
        domain_text = f"<utility_space><objective>{issues}</objective></utility_space>"
        # Profiles that fit the domain: the size alone is what is refused.
        first, second = (
            "<utility_space><objective>"
            + "".join(
                f'<issue name="{n}" index="{i}" type="integer">'
                f'<evaluator ftype="linear" slope="{slope}" offset="{offset}"/></issue>'
                for i, n in ((1, "X"), (2, "Y"))
            )
            + '<weight index="1" value="0.3"/><weight index="2" value="0.7"/>'
            "</objective></utility_space>"
            for slope, offset in (("0.001", "0"), ("-0.001", "1"))
        )
        expected = 2
    domain = tmp_path / "domain.xml"
    domain.write_text(domain_text, encoding="utf-8")
    files = [tmp_path / n for n in names]
    for path, text in zip(files, (first, second), strict=True):
        path.write_text(text, encoding="utf-8")
    code = main(["negotiate", "--genius", str(domain), *map(str, files), "--json"])
    captured = capsys.readouterr()
    assert code == expected, captured.err
    if expected:
        assert captured.err.count("\n") == 1
        assert captured.err.startswith("error: ")
        assert "Traceback" not in captured.err
        assert "internal error" not in captured.err
        if case == "too-large":
            assert "the domain has 1,000,000 packages" in captured.err
