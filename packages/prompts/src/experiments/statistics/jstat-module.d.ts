// jstat 1.9.6 ships no types. This declares only the three distributions `distributions.ts`
// uses; everything else in the library stays untyped on purpose.
declare module 'jstat' {
  interface JStatNormal {
    cdf(x: number, mean: number, standardDeviation: number): number;
    inv(p: number, mean: number, standardDeviation: number): number;
  }
  interface JStatWithDegreesOfFreedom {
    cdf(x: number, degreesOfFreedom: number): number;
    inv(p: number, degreesOfFreedom: number): number;
  }
  const jStat: {
    normal: JStatNormal;
    studentt: JStatWithDegreesOfFreedom;
    chisquare: JStatWithDegreesOfFreedom;
  };
  export = jStat;
}
