"""Synthetic but realistic demo data: `aigaq seed-demo` and `aigaq demo`.

pools.py holds the names and word lists, generate.py turns a seed into families of persons
(plain records, no Django), seed.py writes them in batches. Everything here is invented: no
record describes a real person, and every row points at one Source titled "Synthetic demo data".
"""
