#!/usr/bin/env python3
"""Would a learned model beat the risk-factor rules? A leave-one-document-out baseline.

For each of the 14 risk factors, a TF-IDF (word 1-2 grams) + logistic regression classifier
is trained on the high-confidence risk-factor rows of every labelled document but one
(`crates/tag/tests/data/gold-*-blind.jsonl` and `../shared/eval-dev/gold-2026.jsonl`) and
tested on the one left out; micro-F1 is scored as `undex eval tags` does (optional tags
neither rewarded nor penalised). "union" adds the model's tags to the rules' tags.

Run from the repository root after `cargo build --release -p undex-cli`, with scikit-learn
installed (`python3 -m pip install scikit-learn`):

    python3 bench/tag_model_baseline.py

Result on 2026-11-22 (809 rows, 12 documents): the model alone reaches F1 0.17 at its best
threshold (17 TP / 1 FP / 161 FN), and adding it to the rules gains 1 TP for 1 FP. About 180
positive tags over 14 classes are too few to learn from; the rules stay. See docs/quality.md.
"""
import json,glob,subprocess,shutil,os
import numpy as np
import tempfile
TMP = tempfile.mkdtemp(prefix="undex-ml-")
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
files=sorted(glob.glob('crates/tag/tests/data/gold-*-blind.jsonl'))+['../shared/eval-dev/gold-2026.jsonl']
rows=[]
for f in files:
    g=[json.loads(l) for l in open(f)]
    src=g[0]['source']
    out=TMP+'/ex_'+os.path.basename(f); shutil.rmtree(out,ignore_errors=True)
    subprocess.run(['target/release/undex','ingest',src,'--index',TMP+'/idx_'+os.path.basename(f),'--extracted',out],capture_output=True)
    pred={}
    for e in glob.glob(out+'/*.jsonl'):
        for l in open(e):
            r=json.loads(l)
            if r.get('annex'): continue
            pred[(r['number'],r.get('sub'))]=r
    for x in g:
        p=pred.get((x['para'],x['sub']))
        if not p or x['confidence_by_family']['risk_factors']!='high': continue
        rows.append(dict(doc=os.path.basename(f),text=p['text'],gold=set(x['risk_factors']),opt=set(x['risk_factors_optional']),rules=set(map(int,p['risk_factors']))))
docs=sorted(set(r['doc'] for r in rows))
print(len(rows),'rows',len(docs),'docs')
def f1(tp,fp,fn): return 2*tp/(2*tp+fp+fn) if tp+fp+fn else 1
for thr in [0.3,0.4,0.5]:
  tot={'model':[0,0,0],'union':[0,0,0]}
  for d in docs:
    tr=[r for r in rows if r['doc']!=d]; te=[r for r in rows if r['doc']==d]
    vec=TfidfVectorizer(ngram_range=(1,2),min_df=2,sublinear_tf=True)
    Xtr=vec.fit_transform([r['text'] for r in tr]); Xte=vec.transform([r['text'] for r in te])
    preds=[set() for _ in te]
    for k in range(1,15):
        y=np.array([1 if k in r['gold'] else 0 for r in tr])
        if y.sum()<3: continue
        m=LogisticRegression(C=4.0,class_weight='balanced',max_iter=2000).fit(Xtr,y)
        p=m.predict_proba(Xte)[:,1]
        for i,pp in enumerate(p):
            if pp>thr+0.3: preds[i].add(k)
    for i,r in enumerate(te):
        for name,P in (('model',preds[i]),('union',preds[i]|r['rules'])):
            tp=len(P&r['gold']); fn=len(r['gold']-P); fp=len(P-r['gold']-r['opt'])
            t=tot[name]; t[0]+=tp;t[1]+=fp;t[2]+=fn
  print(thr+0.3, {k:(v,round(f1(*v),3)) for k,v in tot.items()})
t=[0,0,0]
for r in rows:
    P=r['rules']; t[0]+=len(P&r['gold']); t[2]+=len(r['gold']-P); t[1]+=len(P-r['gold']-r['opt'])
print('rules (fitted)',t,round(f1(*t),3))
