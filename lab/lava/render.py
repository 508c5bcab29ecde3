#!/usr/bin/python3
"""Render a jinja2 template as LAVA does (device dictionaries, jobs).

    render.py TEMPLATE DIR [DIR ...] < CONTEXT.json

TEMPLATE is looked up in the DIRs, in order (its {% extends %} too);
CONTEXT.json holds the variables.  Prints the rendered text.
"""
import json
import sys

import jinja2

if len(sys.argv) < 3:
    sys.exit("usage: render.py TEMPLATE DIR [DIR ...] < CONTEXT.json")
env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[2:]),
                         trim_blocks=True)
sys.stdout.write(env.get_template(sys.argv[1]).render(**json.load(sys.stdin)))
