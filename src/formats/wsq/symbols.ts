/** The WSQ Huffman alphabet (FBI WSQ spec v3.1, Table 4). */
export const WsqSymbol = {
  /** Symbols 1–100: a run of that many zero coefficients. */
  MAX_SHORT_RUN: 100,
  /** 101/102: a positive/negative coefficient whose magnitude follows in 8 bits. */
  POSITIVE_8: 101,
  NEGATIVE_8: 102,
  /** 103/104: the same with 16 bits. */
  POSITIVE_16: 103,
  NEGATIVE_16: 104,
  /** 105/106: a zero run whose length follows in 8/16 bits. */
  RUN_8: 105,
  RUN_16: 106,
  /** Symbols 107–254 code the coefficients -73..74 directly as value + 180. */
  DIRECT_OFFSET: 180,
  MIN_DIRECT: -73,
  MAX_DIRECT: 74,
} as const;
