"""Instrumentet: the questionnaire itself — scale, stages, dimensions, indicators, level descriptors, sources."""

import pandas as pd
import streamlit as st

from app.i18n import lang, t
from questionnaires import bundled, load
from reports import formatting as fmt

L = lang()
st.title(t("page_instrument"))
refs = sorted(bundled(), reverse=True)
ref = st.selectbox(t("instrument_version"), refs, key="instrument_ref")
path = bundled()[ref]
q = load(path)

st.header(q.title[L])
if q.description:
    st.write(q.description[L])
st.markdown(t("instrument_counts", dimensions=len(q.dimensions), indicators=len(q.indicators), actions=len(q.actions)))

st.subheader(t("scale_heading"))
st.write(t("scale_intro"))
scale = [{t("col_level"): str(level.value), t("col_name"): level.name[L], t("col_description"): level.descriptor[L]}
         for level in q.levels]
scale += [{t("col_level"): special.value, t("col_name"): special.name[L], t("col_description"): special.descriptor[L]}
          for special in q.special]
st.table(pd.DataFrame(scale).set_index(t("col_level")))

st.subheader(t("stages_heading"))
st.write(t("stages_intro"))
st.table(pd.DataFrame([{t("col_stage"): s.name[L], t("col_lower"): fmt.number(s.lower, L),
                        t("col_description"): s.description[L]} for s in q.stages]).set_index(t("col_stage")))

st.subheader(t("dimensions_heading"))
st.table(pd.DataFrame([{"id": d.id, t("dimension"): d.title[L], t("col_weight"): f"{d.weight:g}",
                        t("indicator"): len(d.indicators)} for d in q.dimensions]).set_index("id"))
dim_id = st.selectbox(t("dimension"), [d.id for d in q.dimensions], key="instrument_dimension",
                      format_func=lambda ident: f"{ident} {q.dimension_by_id[ident].title[L]}")
dimension = q.dimension_by_id[dim_id]
st.markdown(f"### {dimension.id} {dimension.title[L]}")
st.write(dimension.description[L])
if dimension.measures:
    st.markdown(f"**{t('typical_measures')}**")
    st.markdown("\n".join(f"- {m[L]}" for m in dimension.measures))
for indicator in dimension.indicators:
    st.markdown(f"#### {indicator.id} {indicator.statement[L]}")
    st.markdown(f"**{t('evidence')}:** {indicator.guidance[L]}")
    st.table(pd.DataFrame([{t("col_level"): f"{v} {q.levels[v].name[L]}", t("col_description"): text[L]}
                           for v, text in enumerate(indicator.levels)]).set_index(t("col_level")))
    roles = ", ".join(q.role_by_id[r].name[L] for r in indicator.roles) if indicator.roles else t("all_roles")
    cited = "; ".join(q.source_by_id[s].citation for s in indicator.sources)
    st.markdown(f"{t('asked_of')}: {roles}. {t('sources')}: {cited}")
    with st.expander(f"{t('action_steps')} – {indicator.id}"):
        for level in range(q.scale_max):
            steps = q.actions_for(indicator.id, level)
            st.markdown(f"**{t('from_level', level=level)}** → {level + 1}\n\n" + "\n".join(f"- {a.text[L]}" for a in steps))

st.download_button(t("download_definition"), data=path.read_bytes(), file_name=path.name, mime="application/yaml",
                   on_click="ignore", key="download_definition")
