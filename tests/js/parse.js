// Parse a graph file with the clients sigma.js and Gephi Lite use; print what they read as JSON.
//   node tests/js/parse.js gexf|graphml FILE
"use strict";
const fs = require("fs");
const {MultiDirectedGraph} = require("graphology");
const [format, file] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf-8");
const parser = format === "gexf" ? require("graphology-gexf") : require("graphology-graphml");
const graph = parser.parse(MultiDirectedGraph, text);
const nodes = {};
graph.forEachNode((id, attributes) => { nodes[id] = attributes; });
const edges = [];
graph.forEachEdge((id, attributes, source, target) => { edges.push({id, source, target, attributes}); });
process.stdout.write(JSON.stringify({order: graph.order, size: graph.size, nodes, edges}));
