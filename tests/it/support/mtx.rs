//! A MicroType Express writer for fixtures: the compressed font data of an Embedded OpenType file
//! (flag `TTEMBED_TTCOMPRESSED`), as the W3C member submission "MicroType Express (MTX) Font Format" lays
//! it out, enough for a font without outlines.
//!
//! An MTX stream is a 10-byte header (version, copy limit, and the 24-bit offsets of its second and third
//! blocks) and three blocks, each an LZCOMP stream. The first block is the font with its `glyf`, `loca`
//! and `cvt ` tables transformed (Compact Table Format); a font with none of them is the plain sfnt. The
//! other two blocks hold glyph push data and instructions: empty here.
//!
//! LZCOMP codes symbols (256 literals, then copy lengths and the three "repeat" symbols) with an adaptive
//! Huffman tree that encoder and decoder update alike after every symbol. This writer emits literals only:
//! valid LZCOMP that any decoder must read back byte for byte, so what keepopen reads out of a compressed
//! EOT is tested against a writer that shares no code with its decoder.

/// The MTX font data of `sfnt` (a font with no `glyf`, `loca` or `cvt ` table).
pub fn compress(sfnt: &[u8]) -> Vec<u8> {
    let blocks = [lzcomp(sfnt), lzcomp(&[]), lzcomp(&[])];
    let second = 10 + blocks[0].len();
    let third = second + blocks[1].len();
    let mut out = vec![1u8]; // version 1: no run-length flag bit in the blocks
    out.extend(be24(0)); // copy limit: unused by a literal-only stream
    out.extend(be24(second));
    out.extend(be24(third));
    for b in blocks {
        out.extend(b);
    }
    out
}

fn be24(v: usize) -> [u8; 3] {
    assert!(v < 1 << 24, "an MTX offset is 24 bits");
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

/// One LZCOMP stream (version 1) of `data`: its 24-bit length, then every byte as a literal symbol.
fn lzcomp(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.value(data.len() as u32, 24);
    let mut model = Model::new(symbol_count(data.len()));
    for &byte in data {
        model.encode(usize::from(byte), &mut bits);
    }
    bits.finish()
}

/// The size of the symbol alphabet for a stream of `length` bytes: 256 literals, 8 length symbols for
/// each range of 3 distance bits the stream needs, and three repeat symbols.
fn symbol_count(length: usize) -> usize {
    let mut ranges = 1;
    while 1 + (1usize << (3 * ranges)) - 1 < length {
        ranges += 1;
    }
    256 + 8 * ranges + 3
}

/// Bits, most significant first within each byte.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u8,
}

impl Bits {
    fn bit(&mut self, one: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if one {
            *self.bytes.last_mut().expect("a byte") |= 0x80 >> self.used;
        }
        self.used = (self.used + 1) % 8;
    }
    fn value(&mut self, v: u32, width: u32) {
        for i in (0..width).rev() {
            self.bit(v >> i & 1 == 1);
        }
    }
    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

#[derive(Clone, Copy)]
struct Node {
    parent: usize,
    children: Option<(usize, usize)>,
    symbol: Option<usize>,
    weight: u64,
}

/// The adaptive Huffman model: a complete binary tree in an array (node 1 the root, node `i`'s children
/// `2i` and `2i + 1`, the leaves the symbols in order), weights kept in sibling order, so that after each
/// symbol its leaf and every ancestor gain one, each first trading places with the lowest-numbered node of
/// equal weight.
struct Model {
    nodes: Vec<Node>,
    leaf_of: Vec<usize>,
}

impl Model {
    fn new(symbols: usize) -> Self {
        let mut nodes = vec![
            Node {
                parent: 0,
                children: None,
                symbol: None,
                weight: 1,
            };
            2 * symbols
        ];
        for (i, node) in nodes.iter_mut().enumerate().skip(2) {
            node.parent = i / 2;
        }
        for (i, node) in nodes.iter_mut().enumerate().take(symbols).skip(1) {
            node.children = Some((2 * i, 2 * i + 1));
        }
        for s in 0..symbols {
            nodes[symbols + s].symbol = Some(s);
        }
        nodes[0].weight = 0; // position 0 is no node: below the root, never equal to a weight
        let mut model = Model {
            nodes,
            leaf_of: (symbols..2 * symbols).collect(),
        };
        model.sum_weights(1);
        // The starting statistics: with more than 256 and fewer than 512 symbols, the first two copy
        // symbols once, the third-last symbol 12 times and the second-last 6 times; otherwise every
        // symbol twice.
        if symbols > 256 && symbols < 512 {
            let mut seed = vec![256, 257];
            seed.extend(std::iter::repeat_n(symbols - 3, 12));
            seed.extend(std::iter::repeat_n(symbols - 2, 6));
            for s in seed {
                model.count(s);
            }
        } else {
            for _ in 0..2 {
                for s in 0..symbols {
                    model.count(s);
                }
            }
        }
        model
    }

    fn sum_weights(&mut self, at: usize) -> u64 {
        if let Some((l, r)) = self.nodes[at].children {
            self.nodes[at].weight = self.sum_weights(l) + self.sum_weights(r);
        }
        self.nodes[at].weight
    }

    /// Write `symbol`'s code (the path from the root: 0 left, 1 right), then count it.
    fn encode(&mut self, symbol: usize, bits: &mut Bits) {
        let mut path = Vec::new();
        let mut at = self.leaf_of[symbol];
        while at != 1 {
            let parent = self.nodes[at].parent;
            let (_, right) = self.nodes[parent].children.expect("a parent has children");
            path.push(at == right);
            at = parent;
        }
        for one in path.into_iter().rev() {
            bits.bit(one);
        }
        self.count(symbol);
    }

    fn count(&mut self, symbol: usize) {
        let mut at = self.leaf_of[symbol];
        while at != 1 {
            let weight = self.nodes[at].weight;
            if self.nodes[at - 1].weight == weight {
                let mut first = at - 1;
                while self.nodes[first - 1].weight == weight {
                    first -= 1;
                }
                if first > 1 {
                    self.trade(at, first);
                    at = first;
                }
            }
            self.nodes[at].weight = weight + 1;
            at = self.nodes[at].parent;
        }
        self.nodes[1].weight += 1;
    }

    /// Exchange the subtrees at positions `a` and `b`; each position keeps its parent.
    fn trade(&mut self, a: usize, b: usize) {
        let (parent_a, parent_b) = (self.nodes[a].parent, self.nodes[b].parent);
        self.nodes.swap(a, b);
        self.nodes[a].parent = parent_a;
        self.nodes[b].parent = parent_b;
        for at in [a, b] {
            match (self.nodes[at].children, self.nodes[at].symbol) {
                (Some((l, r)), _) => {
                    self.nodes[l].parent = at;
                    self.nodes[r].parent = at;
                }
                (None, Some(s)) => self.leaf_of[s] = at,
                (None, None) => unreachable!("a node is a leaf or has children"),
            }
        }
    }
}
