"""The network: leaders, recruitment cascades, joins and exits, continuity, co-attendance.

Rooms, one job each: :mod:`.recruitment` (cascades, recruits per leader, Gini),
:mod:`.growth` (size, joins and exits, continuity, tenure), :mod:`.activity` (members who
take part), :mod:`.graph` (the co-attendance graph) and :mod:`.summary` (the headline part);
the roster model is :mod:`cleannet_eval.analysis.roster`; the roster checks that ingest
reports are :func:`cleannet_eval.ingest.roster_checks.check_roster`.

The programme follows Heclo's *issue networks*: leaders (แกนนำ) recruit like-minded colleagues,
who recruit others in turn, and people move in and out. Every function reads the processed
``roster`` table (``person_key, unit, staff_type, role, joined, recruited_by_key, left,
left_reason`` plus ``source_*``) and/or the ``attendance`` table, never modifies them, and
returns a tidy :class:`pandas.DataFrame` (or a :class:`networkx.Graph`). People appear only as
counts or pseudonymous ``person_key`` values, never by name.

Conventions
-----------
* A roster row is a *spell*: a person is **active on day d** when ``joined <= d`` and ``left``
  is missing or ``left > d`` (the ``left`` day itself is the first day away; a retirement on
  30 September means not active at the end of that fiscal year). A spell is **active during**
  a period when it is active on at least one of its days. Rows without a ``person_key`` or a
  ``joined`` date, or with ``left`` before ``joined``, are left out of every measure
  (:func:`~cleannet_eval.ingest.roster_checks.check_roster` reports them).
* A person with a second row is a **re-entry** (the later row); their first row is their
  **join**. A person counts as a leader in a period if any of their leader spells is active
  during it, otherwise as a member.
* **Recruitment** is a person-level tree: a person's recruiter is the ``recruited_by_key`` of
  their earliest row that names one. **Depth** is 0 for a person without a recruiter (the
  appointed leaders), 1 for a direct recruit, 2 for a recruit's recruit, and so on. A recruiter
  who is not in the roster is unknown: the recruit starts a cascade of their own (depth 0).
  People in a recruitment cycle, and everyone recruited below one, get no depth and are left
  out of cascade measures; nothing loops (depths come from pointer jumping, at most
  ``log2(n) + 2`` vectorised passes).
* A recruit is counted in the period in which they first joined.
* ``fiscal_year=None`` means the whole span of the data: from the first day of the first
  fiscal year to the last day (30 September) of the last one.

Summary keys
------------
:func:`network_summary` returns ``{"leaders", "members", "recruits_per_leader_median",
"max_cascade_depth", "leader_retention", "members_active_share"}`` for the fiscal year (or the
whole span) and unit (roster ``unit``; ``None`` = whole department) asked:

``leaders``
    Distinct people with a leader spell in the unit active at some time during the period.
``members``
    Distinct people with a member spell in the unit active during the period who are not
    counted as leaders.
``recruits_per_leader_median``
    Median, over those leaders, of the number of distinct people whose recruiter is the leader
    and who first joined during the period (leaders without recruits count as 0); ``None``
    without leaders.
``max_cascade_depth``
    Largest recruitment depth (leader 0, direct recruit 1, recruit's recruit 2, …) among those
    leaders and members; ``None`` when there are none.
``leader_retention``
    Share of those leaders who still hold an active leader spell in the unit on the period's
    last day (30 September); ``None`` without leaders.
``members_active_share``
    Share of those members (leaders excluded) with at least one attendance row (matched by
    ``person_key``, under any unit) in the period's fiscal year(s); ``None`` without members.
"""

from __future__ import annotations

from ..roster import (
    LEADER,
    MEMBER,
    ROSTER_COLUMNS,
)
from .activity import (
    members_active_share,
)
from .graph import (
    MAX_PAIRS,
    SAMPLE_PAIRS,
    coattendance_centrality,
    coattendance_graph,
    graph_metrics,
)
from .growth import (
    joins_exits,
    leader_continuity,
    leader_tenure,
    network_growth,
)
from .recruitment import (
    cascade_depth,
    gini,
    recruitment_distribution,
    recruits_per_leader,
    top_recruiters,
)
from .summary import (
    NETWORK_KEYS,
    network_summary,
)

__all__ = [
    "LEADER",
    "MAX_PAIRS",
    "MEMBER",
    "NETWORK_KEYS",
    "ROSTER_COLUMNS",
    "SAMPLE_PAIRS",
    "cascade_depth",
    "coattendance_centrality",
    "coattendance_graph",
    "gini",
    "graph_metrics",
    "joins_exits",
    "leader_continuity",
    "leader_tenure",
    "members_active_share",
    "network_growth",
    "network_summary",
    "recruitment_distribution",
    "recruits_per_leader",
    "top_recruiters",
]
