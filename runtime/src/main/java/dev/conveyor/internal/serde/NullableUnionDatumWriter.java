package dev.conveyor.internal.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's writer for specific records, but choosing the branch of a two-branch union with null
 * ({@code ["null", X]}, how every optional field of Conveyor's schemas is declared) by whether the
 * value is null. Avro names the value's type and looks that name up in the union, a map lookup per
 * optional field of every record, on the hot path of every task. Other unions go through Avro.
 */
final class NullableUnionDatumWriter<T> extends SpecificDatumWriter<T> {

    NullableUnionDatumWriter(Schema schema) {
        super(schema);
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        List<Schema> branches = union.getTypes();
        if (branches.size() == 2) {
            int nullBranch = branches.get(0).getType() == Schema.Type.NULL ? 0
                    : branches.get(1).getType() == Schema.Type.NULL ? 1 : -1;
            if (nullBranch >= 0) {
                return datum == null ? nullBranch : 1 - nullBranch;
            }
        }
        return super.resolveUnion(union, datum);
    }
}
