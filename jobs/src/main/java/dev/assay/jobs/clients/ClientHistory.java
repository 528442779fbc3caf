package dev.assay.jobs.clients;

/**
 * One client's history through a round: the running sum of its projected updates (FoolsGold's
 * history, the sybil score's input) and running moments of its own log norm and of the cosine of
 * each update to its past direction. Flagged updates join the running sum, so colluders keep
 * accumulating, but never the moments, so an attacker cannot teach a client's baseline.
 */
final class ClientHistory {
  final String client;
  long rounds;
  long dim;
  final double[] sketch;
  long normCount;
  double normMean;
  double normM2;
  long cosineCount;
  double cosineMean;
  double cosineM2;

  ClientHistory(String client, int k) {
    this.client = client;
    this.sketch = new double[k];
  }

  ClientHistory(
      String client,
      long rounds,
      long dim,
      double[] sketch,
      long normCount,
      double normMean,
      double normM2,
      long cosineCount,
      double cosineMean,
      double cosineM2) {
    this.client = client;
    this.rounds = rounds;
    this.dim = dim;
    this.sketch = sketch;
    this.normCount = normCount;
    this.normMean = normMean;
    this.normM2 = normM2;
    this.cosineCount = cosineCount;
    this.cosineMean = cosineMean;
    this.cosineM2 = cosineM2;
  }

  ClientHistory copy() {
    return new ClientHistory(
        client,
        rounds,
        dim,
        sketch.clone(),
        normCount,
        normMean,
        normM2,
        cosineCount,
        cosineMean,
        cosineM2);
  }

  void addLogNorm(double value) {
    normCount++;
    double delta = value - normMean;
    normMean += delta / normCount;
    normM2 += delta * (value - normMean);
  }

  void addCosine(double value) {
    cosineCount++;
    double delta = value - cosineMean;
    cosineMean += delta / cosineCount;
    cosineM2 += delta * (value - cosineMean);
  }

  double normStd() {
    return normCount > 1 ? Math.sqrt(normM2 / (normCount - 1)) : 0;
  }

  double cosineStd() {
    return cosineCount > 1 ? Math.sqrt(cosineM2 / (cosineCount - 1)) : 0;
  }
}
